import { depositEvent } from "../fixtures/bench-events.js";
import { Check } from "../harness/checks.js";
import { scaled, timed } from "../harness/workload.js";
import type { Workload } from "../harness/workload.js";
import type { BenchEvent, BenchExpectedVersion } from "../targets/bench-target.js";

/** One planned append: which stream, which event, what version the writer expects. */
export interface PlannedAppend {
  readonly streamId: string;
  readonly event: BenchEvent;
  readonly expected: BenchExpectedVersion;
}

/** `appends` single-event appends spread round-robin over `streams` streams, with exact expected versions. */
export function planAppends(tag: string, streams: number, appends: number): PlannedAppend[] {
  const versions = new Array<number>(streams).fill(0);
  return Array.from({ length: appends }, (_, i) => {
    const s = i % streams;
    const version = versions[s] ?? 0;
    versions[s] = version + 1;
    return {
      streamId: `${tag}-acc-${s}`,
      event: depositEvent(`${tag}-${i}`, i),
      expected: version === 0 ? "no_stream" : version,
    };
  });
}

/** Every planned event read back exactly once, each stream holding its events in order with versions 1..N. */
export function checkPlanned(events: Parameters<Check["exactlyOnce"]>[0], plan: readonly PlannedAppend[]): Check {
  const byStream = new Map<string, string[]>();
  for (const { streamId, event } of plan) {
    const refs = byStream.get(streamId) ?? [];
    refs.push(event.data.ref);
    byStream.set(streamId, refs);
  }
  return new Check()
    .exactlyOnce(
      events,
      plan.map(({ event }) => event.data.ref),
    )
    .idsUnique(events)
    .contiguousVersions(events)
    .streamOrder(events, byStream);
}

/** W1: one event per append, one writer, 1,000 streams, 5,000 appends. */
export const w1SequentialAppends: Workload = {
  id: "W1",
  title: "One event per append, sequential, 1,000 streams",
  figures: [{ id: "W1", label: "W1 append 1 event, sequential", unit: "appends/s", goal: 0.8 }],
  poolSize: 8,
  async run({ session, scale, tag }) {
    const plan = planAppends(tag, scaled(1_000, scale, 10), scaled(5_000, scale, 20));
    const ms = await timed(async () => {
      for (const { streamId, event, expected } of plan) await session.append(streamId, [event], expected);
    });
    const check = checkPlanned(await session.readAll(1_000, plan.length), plan);
    return [{ figure: "W1", operations: plan.length, ms, check: check.result() }];
  },
};
