/**
 * What a forwarder does with personal-data fields (`x-pii`) before an event leaves the store.
 * `"redact"` (the default) replaces each with the erased marker, so the payload still matches the
 * read schema (where those fields may be `{"$erased": true}`) and no plaintext reaches the broker.
 * `"include"` forwards them as the engine decrypted them: the broker and every consumer then hold
 * personal data that erasure cannot reach (see docs/integration.md).
 */
import { ERASED } from "../../crypto/erased.js";
import { compactFields, isCompactList } from "../../crypto/compact-envelopes.js";
import { PII_ROOT_KEY } from "../../crypto/envelope.js";
import { child, isRecord, parsePointer, REMOVE, replaceAt } from "../../crypto/pii-paths.js";
import type { EventRegistry } from "../../registry.js";
import type { RecordedEvent } from "../../store/recorded-event.js";
import { PublishRejectedError } from "../integration-errors.js";

/** How a forwarder treats personal-data fields. */
export type PersonalDataPolicy = "redact" | "include";

type Replacement = { readonly segments: readonly string[]; readonly value: unknown };

/** Every concrete location of a pointer with `*` segments in `data`. */
function locations(data: unknown, segments: readonly string[]): string[][] {
  const found: string[][] = [];
  const visit = (value: unknown, depth: number, at: string[]): void => {
    if (value === undefined) return;
    if (depth === segments.length) {
      found.push(at);
      return;
    }
    const segment = segments[depth] as string;
    if (segment !== "*") return visit(child(value, segment), depth + 1, [...at, segment]);
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, depth + 1, [...at, String(index)]));
  };
  visit(data, 0, []);
  return found;
}

/** Applies `policy` to `event`'s data; returns the event unchanged when nothing is personal. */
export function applyPersonalDataPolicy(registry: EventRegistry, policy: PersonalDataPolicy, event: RecordedEvent, forwarder: string): RecordedEvent {
  const specs = registry.events[event.type]?.versions[event.schemaVersion]?.pii ?? [];
  const envelopes = isRecord(event.data) ? event.data[PII_ROOT_KEY] : undefined;
  if (specs.length === 0 && envelopes === undefined) return event;
  if (policy === "include") {
    if (envelopes === undefined) return event;
    throw new PublishRejectedError({
      system: "strata",
      eventId: event.id,
      eventType: event.type,
      destination: forwarder,
      reason: `forwarder "${forwarder}" includes personal data, but the engine read the event still encrypted; open the projection engine with personalData: { kek }`,
    });
  }
  const replacements: Replacement[] = [];
  for (const spec of specs) for (const segments of locations(event.data, parsePointer(spec.path))) replacements.push({ segments, value: ERASED });
  if (isCompactList(envelopes)) {
    // Read without keys, format 4: the list names each envelope's pointers.
    for (const { paths } of compactFields(envelopes)) for (const pointer of paths) replacements.push({ segments: parsePointer(pointer), value: ERASED });
  } else if (Array.isArray(envelopes)) {
    // Read without keys: the fields sit encrypted under `$pii`; each envelope lists their pointers.
    for (const envelope of envelopes) {
      const pointers = isRecord(envelope) && Array.isArray(envelope["p"]) ? (envelope["p"] as unknown[]) : [];
      for (const pointer of pointers) if (typeof pointer === "string") replacements.push({ segments: parsePointer(pointer), value: ERASED });
    }
  }
  if (envelopes !== undefined) replacements.push({ segments: [PII_ROOT_KEY], value: REMOVE });
  return { ...event, data: replaceAt(event.data, replacements) } as RecordedEvent;
}
