import type { ReadEvent } from "../targets/bench-target.js";

/** The outcome of a workload's correctness check. A failed check marks the figure `✗`. */
export interface CheckResult {
  readonly ok: boolean;
  /** At most a handful of human-readable problems; empty when `ok`. */
  readonly problems: readonly string[];
}

const MAX_PROBLEMS = 5;

/** Collects problems found while checking what a workload read back. */
export class Check {
  readonly #problems: string[] = [];
  #count = 0;

  fail(problem: string): void {
    this.#count++;
    if (this.#problems.length < MAX_PROBLEMS) this.#problems.push(problem);
  }

  result(): CheckResult {
    const extra = this.#count - this.#problems.length;
    return { ok: this.#count === 0, problems: extra > 0 ? [...this.#problems, `…and ${extra} more`] : [...this.#problems] };
  }

  /** Every expected ref read exactly once, and nothing else. */
  exactlyOnce(events: readonly ReadEvent[], expectedRefs: Iterable<string>): this {
    const seen = new Map<string, number>();
    for (const event of events) {
      const ref = event.data["ref"];
      if (typeof ref !== "string") {
        this.fail(`event ${event.streamId}@${event.version} has no ref`);
        continue;
      }
      seen.set(ref, (seen.get(ref) ?? 0) + 1);
    }
    let expectedCount = 0;
    for (const ref of expectedRefs) {
      expectedCount++;
      const times = seen.get(ref) ?? 0;
      if (times === 0) this.fail(`lost event ${ref}`);
      else if (times > 1) this.fail(`event ${ref} read ${times} times`);
      seen.delete(ref);
    }
    for (const ref of seen.keys()) this.fail(`unexpected event ${ref}`);
    if (events.length !== expectedCount) this.fail(`read ${events.length} events, expected ${expectedCount}`);
    return this;
  }

  /** Event ids, where the target stores them, are unique. */
  idsUnique(events: readonly ReadEvent[]): this {
    const ids = new Set<string>();
    for (const event of events) {
      if (event.id === undefined) continue;
      if (ids.has(event.id)) this.fail(`event id ${event.id} read twice`);
      ids.add(event.id);
    }
    return this;
  }

  /** Within each stream, versions run 1..N without gaps, in the order read. */
  contiguousVersions(events: readonly ReadEvent[]): this {
    const last = new Map<string, number>();
    for (const event of events) {
      const previous = last.get(event.streamId) ?? 0;
      if (event.version !== previous + 1) {
        this.fail(`stream ${event.streamId}: version ${event.version} follows ${previous}`);
      }
      last.set(event.streamId, event.version);
    }
    return this;
  }

  /** Each stream holds its refs in exactly the order they were appended. */
  streamOrder(events: readonly ReadEvent[], appended: ReadonlyMap<string, readonly string[]>): this {
    const read = new Map<string, string[]>();
    for (const event of events) {
      const list = read.get(event.streamId) ?? [];
      list.push(String(event.data["ref"]));
      read.set(event.streamId, list);
    }
    for (const [streamId, refs] of appended) {
      const got = read.get(streamId) ?? [];
      const firstDiff = refs.findIndex((ref, i) => got[i] !== ref);
      if (got.length !== refs.length || firstDiff !== -1) {
        this.fail(`stream ${streamId}: ${got.length} events read, ${refs.length} appended, first difference at index ${firstDiff}`);
      }
    }
    return this;
  }

  /** Global positions, where the target reports them, strictly increase. */
  increasingPositions(events: readonly ReadEvent[]): this {
    let previous: bigint | undefined;
    for (const event of events) {
      if (event.position === undefined) continue;
      const position = BigInt(event.position);
      if (previous !== undefined && position <= previous) this.fail(`position ${position} follows ${previous}`);
      previous = position;
    }
    return this;
  }
}
