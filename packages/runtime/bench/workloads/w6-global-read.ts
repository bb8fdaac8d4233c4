import { depositEvent } from "../fixtures/bench-events.js";
import { Check } from "../harness/checks.js";
import { scaled, timed } from "../harness/workload.js";
import type { Measurement, Workload } from "../harness/workload.js";
import type { BenchEvent, ReadEvent } from "../targets/bench-target.js";

const WRITERS = 8;
const STREAMS_PER_WRITER = 10;
const BATCH = 10;
const PAGE_SIZES = [100, 1_000] as const;
/** Full reads per page size inside the timed section: one read of 10,000 events takes well under 100 ms. */
const READS = 5;

/**
 * W6: 8 concurrent writers put 10,000 events into 80 streams (untimed), then the whole log is
 * read in global order, in pages of 100 and in pages of 1,000, five times each. Every read
 * must see every event exactly once.
 */
export const w6GlobalRead: Workload = {
  id: "W6",
  title: "Global read of 10,000 events written by 8 writers",
  figures: PAGE_SIZES.map((pageSize) => ({
    id: `W6/${pageSize}`,
    label: `W6 global read, pages of ${pageSize}`,
    unit: "events/s" as const,
    goal: 0.6,
  })),
  poolSize: WRITERS,
  async run({ session, scale, tag, analyze }) {
    const total = scaled(10_000, scale, WRITERS * BATCH);
    const all = Array.from({ length: total }, (_, i) => depositEvent(`${tag}-${i}`, i));
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const mine = all.filter((_, i) => i % WRITERS === w);
        const versions = new Array<number>(STREAMS_PER_WRITER).fill(0);
        for (let b = 0; b * BATCH < mine.length; b++) {
          const s = b % STREAMS_PER_WRITER;
          const batch: BenchEvent[] = mine.slice(b * BATCH, (b + 1) * BATCH);
          const version = versions[s] ?? 0;
          await session.append(`${tag}-w${w}-s${s}`, batch, version === 0 ? "no_stream" : version);
          versions[s] = version + batch.length;
        }
      }),
    );
    await analyze();
    const refs = all.map((event) => event.data.ref);
    const measurements: Measurement[] = [];
    for (const pageSize of PAGE_SIZES) {
      const reads: ReadEvent[][] = [];
      const ms = await timed(async () => {
        for (let r = 0; r < READS; r++) reads.push(await session.readAll(pageSize, total));
      });
      const check = new Check();
      for (const events of reads) check.exactlyOnce(events, refs).idsUnique(events).increasingPositions(events).contiguousVersions(events);
      measurements.push({ figure: `W6/${pageSize}`, operations: total * READS, ms, check: check.result() });
    }
    return measurements;
  },
};
