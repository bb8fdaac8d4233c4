import { depositEvent } from "../fixtures/bench-events.js";
import { Check } from "../harness/checks.js";
import { scaled, timed } from "../harness/workload.js";
import type { Workload } from "../harness/workload.js";

const BATCH = 100;

/** W3: 100 events per append to one stream, 200 appends; the baseline is one multi-row INSERT per batch. */
export const w3BatchAppends: Workload = {
  id: "W3",
  title: "100 events per append to one stream",
  figures: [{ id: "W3", label: "W3 append 100 events, one stream", unit: "events/s", goal: 0.8 }],
  poolSize: 8,
  async run({ session, scale, tag }) {
    const streamId = `${tag}-ledger`;
    const batches = Array.from({ length: scaled(200, scale, 5) }, (_, b) =>
      Array.from({ length: BATCH }, (_, i) => depositEvent(`${tag}-${b * BATCH + i}`, b * BATCH + i)),
    );
    const ms = await timed(async () => {
      for (const [b, batch] of batches.entries()) await session.append(streamId, batch, b === 0 ? "no_stream" : b * BATCH);
    });
    const events = await session.readStream(streamId);
    const refs = batches.flat().map((event) => event.data.ref);
    const check = new Check()
      .exactlyOnce(events, refs)
      .idsUnique(events)
      .contiguousVersions(events)
      .streamOrder(events, new Map([[streamId, refs]]));
    return [{ figure: "W3", operations: refs.length, ms, check: check.result() }];
  },
};
