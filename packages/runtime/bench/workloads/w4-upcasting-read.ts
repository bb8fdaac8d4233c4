import { depositEvent, depositEventV1 } from "../fixtures/bench-events.js";
import { Check } from "../harness/checks.js";
import { scaled, timed } from "../harness/workload.js";
import type { Workload } from "../harness/workload.js";
import type { HistoricEvent, ReadEvent } from "../targets/bench-target.js";

/**
 * W4: read one 10,000-event stream whose first half was written as schema v1. Strata upcasts
 * those to v2 on read; the baseline only selects and parses the JSON. The stream is read
 * ten times inside the timed section so that the figure is not a 100 ms blip; the last read is checked.
 */
export const w4UpcastingRead: Workload = {
  id: "W4",
  title: "Read one 10,000-event stream, half stored as v1 and upcast",
  figures: [{ id: "W4", label: "W4 read stream, 50% upcast", unit: "events/s", goal: 0.6 }],
  poolSize: 8,
  async run({ session, target, scale, tag, analyze }) {
    const streamId = `${tag}-history`;
    const size = scaled(10_000, scale, 20);
    const reads = scale >= 1 ? 10 : 2;
    const history: HistoricEvent[] = Array.from({ length: size }, (_, i) =>
      i < size / 2
        ? { schemaVersion: 1, event: depositEventV1(`${tag}-${i}`, i) }
        : { schemaVersion: 2, event: depositEvent(`${tag}-${i}`, i) },
    );
    await session.seedHistoric(streamId, history);
    await analyze();
    let events: ReadEvent[] = [];
    const ms = await timed(async () => {
      for (let r = 0; r < reads; r++) events = await session.readStream(streamId);
    });
    const refs = history.map(({ event }) => event.data.ref);
    const check = new Check()
      .exactlyOnce(events, refs)
      .contiguousVersions(events)
      .streamOrder(events, new Map([[streamId, refs]]));
    // The baseline hands back what is stored; Strata must hand back every event in the v2 shape.
    if (target === "strata") {
      for (const event of events) {
        if (typeof event.data["amount"] !== "number" || event.data["currency"] !== "EUR" || "amountCents" in event.data) {
          check.fail(`event ${event.streamId}@${event.version} was not upcast to v2: ${Object.keys(event.data).join(",")}`);
        }
      }
    }
    return [{ figure: "W4", operations: size * reads, ms, check: check.result() }];
  },
};
