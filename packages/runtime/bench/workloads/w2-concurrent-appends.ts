import { scaled, timed } from "../harness/workload.js";
import type { Workload } from "../harness/workload.js";
import { checkPlanned, planAppends } from "./w1-sequential-appends.js";
import type { PlannedAppend } from "./w1-sequential-appends.js";

const WRITERS = 8;

/** W2: W1 with 8 concurrent writers, each owning its own streams; 10,000 appends. */
export const w2ConcurrentAppends: Workload = {
  id: "W2",
  title: "One event per append, 8 concurrent writers on distinct streams",
  figures: [{ id: "W2", label: "W2 append 1 event, 8 writers", unit: "appends/s", goal: 0.75 }],
  poolSize: WRITERS,
  async run({ session, scale, tag }) {
    const streams = scaled(1_000, scale, WRITERS * 2);
    const plan = planAppends(tag, streams, scaled(10_000, scale, 40));
    // Stream s belongs to writer s % WRITERS, so no two writers ever touch the same stream.
    const perWriter: PlannedAppend[][] = Array.from({ length: WRITERS }, () => []);
    plan.forEach((append, i) => perWriter[(i % streams) % WRITERS]?.push(append));
    const ms = await timed(() =>
      Promise.all(
        perWriter.map(async (appends) => {
          for (const { streamId, event, expected } of appends) await session.append(streamId, [event], expected);
        }),
      ),
    );
    const check = checkPlanned(await session.readAll(1_000, plan.length), plan);
    return [{ figure: "W2", operations: plan.length, ms, check: check.result() }];
  },
};
