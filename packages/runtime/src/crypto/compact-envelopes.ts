/**
 * Envelope format 4: the envelopes of one event as one flat JSON list under `$pii`, instead of
 * one object per envelope (formats 2 and 3).
 *
 * ```json
 * { "customerId": "c-1", "amount": 5,
 *   "$pii": [4, 1, "Q3b…", 2, "/name", "/email", "<nonce‖ciphertext‖tag>"] }
 * ```
 *
 * The list is `[4, sv, …envelopes]`: the format, the event's schema version when it was written
 * (one per event: every envelope of an event is written with it), then per data subject its key
 * id `k`, the number `n` of its fields, their `n` JSON Pointers and `c`, base64url (unpadded) of
 * the 24-byte nonce ‖ ciphertext ‖ 16-byte tag. The cipher, the plaintext (the UTF-8 JSON array
 * of the fields' values in pointer order) and the associated data
 * (`["strata:pii",4,k,eventId,eventType,sv,[pointers…]]`, see `envelopeAad`) are format 3's,
 * with `v` = 4.
 *
 * Why: reading a stored row costs by its JSON tokens and objects. Format 3's
 * `[{"v":3,"k":…,"sv":1,"p":[…],"c":…}]` makes the server print and the client parse two
 * objects, an array and five keys per envelope; the flat list is one array of scalars, about 25
 * characters shorter per event, and is read without building an envelope object.
 */
import { DecryptionError } from "./crypto-errors.js";
import type { EnvelopeLocation } from "./envelope.js";
import { XCHACHA_NONCE_BYTES, XCHACHA_TAG_BYTES } from "./xchacha20-poly1305.js";

/** The format version of the compact list, its first element. */
export const COMPACT_FORMAT = 4;

/** Index of the first envelope (its key id) in a compact list: after the format and the schema version. */
export const FIRST_ENVELOPE_AT = 2;

/** One subject's sealed fields, for {@link compactList}. */
export interface CompactEnvelope {
  readonly keyId: string;
  readonly paths: readonly string[];
  /** base64url (unpadded) of nonce ‖ ciphertext ‖ tag. */
  readonly sealed: string;
}

/** The `$pii` value of format 4 for an event written at `schemaVersion`. */
export function compactList(schemaVersion: number, envelopes: readonly CompactEnvelope[]): unknown[] {
  const list: unknown[] = [COMPACT_FORMAT, schemaVersion];
  for (const { keyId, paths, sealed } of envelopes) list.push(keyId, paths.length, ...paths, sealed);
  return list;
}

/** Whether a `$pii` value is a format-4 list (its first element is the number 4). */
export function isCompactList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value[0] === COMPACT_FORMAT;
}

function problemAt(list: readonly unknown[], at: number): string | undefined {
  const keyId = list[at];
  if (typeof keyId !== "string" || keyId === "") return "key id missing";
  const count = list[at + 1];
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1 || at + 2 + count >= list.length) return "field count missing or beyond the list";
  for (let field = 0; field < count; field++) {
    const path = list[at + 2 + field];
    if (typeof path !== "string" || !path.startsWith("/")) return "a field path is not a JSON Pointer below the root";
    for (let other = 0; other < field; other++) if (list[at + 2 + other] === path) return "its field paths repeat a path";
  }
  const sealed = list[at + 2 + count];
  // Its characters are checked as it is decoded (see pii-decrypt.ts): a second pass over them here cost as much as the decoding.
  if (typeof sealed !== "string" || sealed.length % 4 === 1) return "the sealed fields are not base64url";
  if (Math.floor((sealed.length * 3) / 4) < XCHACHA_NONCE_BYTES + XCHACHA_TAG_BYTES) return "the sealed fields are shorter than nonce and tag";
  return undefined;
}

/** The stored event a list belongs to, for error locations. */
interface ListContext {
  readonly eventId: string;
  readonly eventType: string;
  readonly schemaVersion: number;
}

function placeOf(ctx: ListContext, at?: number): EnvelopeLocation {
  return { eventId: ctx.eventId, eventType: ctx.eventType, path: at === undefined ? `/$pii` : `/$pii/${at}` };
}

/**
 * Checks a format-4 list of the event `ctx` and appends the key id of every envelope in it to
 * `keyIds`. An error's location is the index of the envelope's key id in the list.
 *
 * @throws {@link DecryptionError} `malformed-envelope` for a damaged list, `misplaced` when it
 * was written at another schema version than `ctx.schemaVersion` (data upcast before decryption).
 */
export function checkCompactList(list: readonly unknown[], ctx: ListContext, keyIds: string[]): void {
  const written = list[1];
  if (typeof written !== "number" || !Number.isSafeInteger(written) || written < 1 || list.length < FIRST_ENVELOPE_AT + 4) {
    throw new DecryptionError("malformed-envelope", placeOf(ctx), "The stored envelope list is damaged: it has no schema version or no envelope.");
  }
  if (written !== ctx.schemaVersion) {
    throw new DecryptionError(
      "misplaced",
      placeOf(ctx, FIRST_ENVELOPE_AT),
      `It was written with schema version ${written}, but the data handed over is version ${ctx.schemaVersion}; decrypt stored data before upcasting it.`,
    );
  }
  let at = FIRST_ENVELOPE_AT;
  while (at < list.length) {
    const problem = problemAt(list, at);
    if (problem !== undefined) throw new DecryptionError("malformed-envelope", placeOf(ctx, at), `The stored envelope is damaged: ${problem}.`);
    keyIds.push(list[at] as string);
    at += 3 + (list[at + 1] as number);
  }
}

/** Index of the envelope after the one at `at` in a checked list. */
export function nextEnvelope(list: readonly unknown[], at: number): number {
  return at + 3 + (list[at + 1] as number);
}

/** The key id and field paths of each envelope of a `$pii` list in format 4, skipping what is malformed (for readers without keys). */
export function compactFields(list: readonly unknown[]): { readonly keyId: string; readonly paths: readonly string[] }[] {
  const fields: { keyId: string; paths: string[] }[] = [];
  let at = FIRST_ENVELOPE_AT;
  while (at < list.length) {
    const keyId = list[at];
    const count = list[at + 1];
    if (typeof keyId !== "string" || typeof count !== "number" || !Number.isSafeInteger(count) || count < 1) break;
    const paths = list.slice(at + 2, at + 2 + count).filter((path): path is string => typeof path === "string");
    fields.push({ keyId, paths });
    at += 3 + count;
  }
  return fields;
}
