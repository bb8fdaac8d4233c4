/** Versions run v1..vN without holes; event type names are unique across the catalog. */
import type { ProblemList } from "./problem-list.js";
import type { RawContext, RawEventType } from "./read-catalog.js";

/** Reports a missing v1 and every hole in an event type's versions. */
export function checkVersionSequence(event: RawEventType, problems: ProblemList): void {
  const numbers = [...event.versions.keys()].sort((a, b) => a - b);
  const highest = numbers.at(-1) ?? 0;
  if (!event.versions.has(1)) {
    problems.add("missing-version", event.dir, "", highest === 0
      ? `event type ${event.name} has no versions; add v1.json`
      : `event type ${event.name} has no v1.json; versions start at v1`);
  }
  for (let version = 2; version < highest; version += 1) {
    if (!event.versions.has(version)) {
      problems.add("skipped-version", event.dir, "", `event type ${event.name} skips v${version}.json (it has v${highest}.json); versions run v1..vN without holes`);
    }
  }
}

/** Reports every event type whose name (case-insensitively) was already used, naming both folders. */
export function checkDuplicateEventTypes(contexts: readonly RawContext[], problems: ProblemList): void {
  const seen = new Map<string, RawEventType>();
  for (const event of contexts.flatMap((c) => c.events)) {
    const key = event.name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, event);
    } else {
      problems.add("duplicate-event-type", event.dir, "", `event type ${event.name} is also defined by ${problems.show(first.dir)}; event type names must be unique across the catalog (compared case-insensitively)`);
    }
  }
}
