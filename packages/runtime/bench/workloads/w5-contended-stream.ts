import { depositEvent } from "../fixtures/bench-events.js";
import { Check } from "../harness/checks.js";
import { roundRobin, scaled, timed } from "../harness/workload.js";
import type { Workload } from "../harness/workload.js";

const WRITERS = 8;

/**
 * W5: 8 writers append to one stream with optimistic concurrency and retry until each of their
 * events is in, 2,000 events. The baseline's writers each keep a checked-out connection and the
 * version they last wrote, and re-read `max(version)` after a unique violation; Strata's pass
 * the version they last saw as the expected version and take the actual one from its conflict error.
 * Every commit invalidates the version the other writers hold, so both sides make about 5-6
 * attempts per committed event (details: `conflicts`, `attemptsPerEvent`): W5 measures the
 * conflict path at least as much as the append itself.
 */
export const w5ContendedStream: Workload = {
  id: "W5",
  title: "8 writers on one stream, expected version and retry",
  figures: [{ id: "W5", label: "W5 8 writers, one stream, retry", unit: "events/s", goal: 0.9 }],
  poolSize: WRITERS,
  async run({ session, scale, tag }) {
    const streamId = `${tag}-hot`;
    const events = Array.from({ length: scaled(2_000, scale, 40) }, (_, i) => depositEvent(`${tag}-${i}`, i));
    let conflicts = 0;
    const ms = await timed(() =>
      Promise.all(
        roundRobin(events, WRITERS).map(async (mine) => {
          const writer = session.contendedWriter(streamId);
          for (const event of mine) {
            // Not `conflicts += await …`: that reads the sum before the await and loses the other writers' counts.
            const met = await writer.append(event);
            conflicts += met;
          }
        }),
      ),
    );
    const read = await session.readStream(streamId);
    const check = new Check()
      .exactlyOnce(
        read,
        events.map((event) => event.data.ref),
      )
      .idsUnique(read)
      .contiguousVersions(read);
    return [{ figure: "W5", operations: events.length, ms, check: check.result(), details: { conflicts, attemptsPerEvent: Math.round(((events.length + conflicts) / events.length) * 100) / 100 } }];
  },
};
