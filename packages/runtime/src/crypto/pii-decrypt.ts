/**
 * Decrypts the personal data of stored events (written by pii-codec.ts): finds the envelopes
 * under `$pii`, opens each with its subject's data key, and puts the fields back at their
 * write-time paths — or the erased marker when the key is gone.
 */
import { SmallArea, scratchArea, smallArea, view } from "./aead-scratch.js";
import { GCM_TAG_BYTES, open } from "./aes-gcm.js";
import { DecryptionError, isCryptoError } from "./crypto-errors.js";
import { checkCompactList, compactFields, FIRST_ENVELOPE_AT, isCompactList, nextEnvelope } from "./compact-envelopes.js";
import { envelopeAadRoom, templatedAad, writeEnvelopeAad } from "./envelope-aad-writer.js";
import { checkEnvelope, envelopeAad, nonceBytes, PII_ROOT_KEY } from "./envelope.js";
import type { CheckedEnvelope, EnvelopeBinding, EnvelopeLocation } from "./envelope.js";
import { ERASED } from "./erased.js";
import type { PiiReadContext } from "./pii-codec.js";
import { child, isRecord, parsePointer, REMOVE, replaceAt } from "./pii-paths.js";
import type { SubjectDek, SubjectKeys } from "./subject-keys.js";
import { XCHACHA_NONCE_BYTES, XCHACHA_TAG_BYTES, xchachaOpenInto } from "./xchacha20-poly1305.js";

/** The place of the `index`th envelope of an event, for error messages. */
function placeOf(ctx: PiiReadContext, index?: number): EnvelopeLocation {
  return { eventId: ctx.eventId, eventType: ctx.eventType, path: index === undefined ? `/${PII_ROOT_KEY}` : `/${PII_ROOT_KEY}/${index}` };
}

/** The envelopes of one stored event, checked (`c` not decoded yet); empty when it holds no personal data. */
function locate(data: unknown, ctx: PiiReadContext): CheckedEnvelope[] {
  if (!isRecord(data)) return [];
  const list = data[PII_ROOT_KEY];
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length === 0) {
    throw new DecryptionError("malformed-envelope", placeOf(ctx), "The stored envelope list is damaged: it is not a non-empty array.");
  }
  const envelopes: CheckedEnvelope[] = [];
  for (let index = 0; index < list.length; index++) {
    const envelope = checkEnvelope(list[index], () => placeOf(ctx, index));
    if (envelope.schemaVersion !== ctx.schemaVersion) {
      throw new DecryptionError(
        "misplaced",
        placeOf(ctx, index),
        `It was written with schema version ${envelope.schemaVersion}, but the data handed over is version ${ctx.schemaVersion}; decrypt stored data before upcasting it.`,
      );
    }
    envelopes.push(envelope);
  }
  return envelopes;
}

/**
 * Opens a format-3 envelope in the scratch area: `c` decoded, the associated data written and
 * the plaintext decrypted there, the plaintext turned into text and zeroed before returning.
 */
function openXChaCha(key: Uint8Array, envelope: Pick<CheckedEnvelope, "encoded" | "byteLength">, binding: EnvelopeBinding): string {
  const sealedBytes = envelope.byteLength - XCHACHA_NONCE_BYTES;
  const plainBytes = sealedBytes - XCHACHA_TAG_BYTES;
  const aadRoom = envelopeAadRoom(binding);
  const small = smallArea;
  if (small.fits(envelope.byteLength, aadRoom, plainBytes)) {
    const { buffer, aadAt, plainAt } = small;
    buffer.write(envelope.encoded, 0, envelope.byteLength, "base64url");
    const aadBytes = writeEnvelopeAad(binding, buffer, aadAt);
    xchachaOpenInto(small.at(plainAt, plainBytes), key, small.at(0, XCHACHA_NONCE_BYTES), small.at(XCHACHA_NONCE_BYTES, sealedBytes), small.at(aadAt, aadBytes));
    const text = buffer.toString("utf8", plainAt, plainAt + plainBytes);
    buffer.fill(0, plainAt, plainAt + plainBytes);
    return text;
  }
  const area = scratchArea(envelope.byteLength + aadRoom + plainBytes);
  area.write(envelope.encoded, 0, envelope.byteLength, "base64url");
  const aadBytes = writeEnvelopeAad(binding, area, envelope.byteLength);
  const at = envelope.byteLength + aadBytes;
  xchachaOpenInto(view(area, at, plainBytes), key, view(area, 0, XCHACHA_NONCE_BYTES), view(area, XCHACHA_NONCE_BYTES, sealedBytes), view(area, envelope.byteLength, aadBytes));
  const text = area.toString("utf8", at, at + plainBytes);
  area.fill(0, at, at + plainBytes);
  return text;
}

/** Opens a format-2 envelope: AES-256-GCM, the tag the last 16 bytes. */
function openGcm(key: SubjectDek["key"], envelope: CheckedEnvelope, binding: EnvelopeBinding): string {
  const combined = Buffer.from(envelope.encoded, "base64url");
  const split = combined.byteLength - GCM_TAG_BYTES;
  const nonce = combined.subarray(0, nonceBytes(2));
  const opened = open(key, nonce, { ciphertext: combined.subarray(nonce.byteLength, split), tag: combined.subarray(split) }, envelopeAad(binding));
  const plaintext = Buffer.from(opened.buffer, opened.byteOffset, opened.byteLength);
  const text = plaintext.toString("utf8");
  plaintext.fill(0);
  return text;
}

/** The values of one envelope: decrypted, or `ERASED` for each field when its key is gone. */
function openEnvelope(envelope: CheckedEnvelope, index: number, dek: SubjectDek | undefined, ctx: PiiReadContext): unknown[] {
  if (dek === undefined) return envelope.paths.map(() => ERASED);
  const binding: EnvelopeBinding = {
    version: envelope.version,
    keyId: envelope.keyId,
    eventId: ctx.eventId,
    eventType: ctx.eventType,
    schemaVersion: envelope.schemaVersion,
    paths: envelope.paths,
  };
  let text: string;
  try {
    text = envelope.version === 3 ? openXChaCha(dek.bytes, envelope, binding) : openGcm(dek.key, envelope, binding);
  } catch (cause) {
    if (!isCryptoError(cause, "CRYPTO_AUTHENTICATION")) throw cause;
    throw new DecryptionError("authentication-failed", placeOf(ctx, index), "The ciphertext or its field paths were altered, or it was copied from another event.", { cause });
  }
  return valuesOf(text, envelope.paths.length, ctx, index);
}

/** The decrypted plaintext of an envelope with `count` fields, parsed: one JSON value per field. */
function valuesOf(text: string, count: number, ctx: PiiReadContext, index: number): unknown[] {
  let values: unknown;
  try {
    values = JSON.parse(text) as unknown;
  } catch {
    values = undefined; // No cause on purpose: JSON.parse's message quotes the input, which is the plaintext.
  }
  if (!Array.isArray(values) || values.length !== count) {
    throw new DecryptionError("malformed-envelope", placeOf(ctx, index), "The decrypted value is not one JSON value per field path; it was not written by encryptPersonalData.");
  }
  return values;
}

/**
 * Opens the format-4 envelope at `at` of a checked list: `c` decoded into the scratch area, the
 * associated data from its template (the event id written into it), the plaintext decrypted in
 * the area, turned into text and zeroed. Falls back to {@link openXChaCha} for messages too
 * large for the area or event ids the template does not take.
 */
function openCompactSealed(key: Uint8Array, list: readonly unknown[], at: number, count: number, ctx: PiiReadContext): string {
  const keyId = list[at] as string;
  const encoded = list[at + 2 + count] as string;
  // Unpadded base64url: every 4 characters are 3 bytes (checkCompactList: at least nonce and tag).
  const byteLength = Math.floor((encoded.length * 3) / 4);
  const aad = byteLength <= SmallArea.region ? templatedAad(4, keyId, ctx.eventId, ctx.eventType, ctx.schemaVersion, list, at + 2, count) : undefined;
  if (aad === undefined) {
    if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw notBase64url(ctx, at);
    const paths = list.slice(at + 2, at + 2 + count) as string[];
    return openXChaCha(key, { encoded, byteLength }, { version: 4, keyId, eventId: ctx.eventId, eventType: ctx.eventType, schemaVersion: ctx.schemaVersion, paths });
  }
  const small = smallArea;
  const { buffer, plainAt } = small;
  // Node's decoder stops at a character outside base64url (and skips whitespace), so fewer bytes
  // than the length promises means `c` is not base64url. `+` and `/` decode as `-` and `_`: the
  // same bytes, which is all the AEAD authenticates.
  if (buffer.write(encoded, 0, byteLength, "base64url") !== byteLength) throw notBase64url(ctx, at);
  const { nonce, sealed, plain } = small.opening(byteLength);
  xchachaOpenInto(plain, key, nonce, sealed, aad);
  const text = buffer.toString("utf8", plainAt, plainAt + plain.byteLength);
  plain.fill(0);
  return text;
}

function notBase64url(ctx: PiiReadContext, at: number): DecryptionError {
  return new DecryptionError("malformed-envelope", placeOf(ctx, at), "The stored envelope is damaged: the sealed fields are not base64url.");
}

/** The values of the format-4 envelope at `at`: decrypted, or `ERASED` for each field when its key is gone. */
function openCompact(list: readonly unknown[], at: number, dek: SubjectDek | undefined, ctx: PiiReadContext): unknown[] {
  const count = list[at + 1] as number;
  if (dek === undefined) return new Array<unknown>(count).fill(ERASED);
  let text: string;
  try {
    text = openCompactSealed(dek.bytes, list, at, count, ctx);
  } catch (cause) {
    if (!isCryptoError(cause, "CRYPTO_AUTHENTICATION")) throw cause;
    throw new DecryptionError("authentication-failed", placeOf(ctx, at), "The ciphertext or its field paths were altered, or it was copied from another event.", { cause });
  }
  return valuesOf(text, count, ctx, at);
}

/** Parsed field paths, by pointer: the same few schema paths come back on every event read. */
const segmentCache = new Map<string, readonly string[]>();
const SEGMENT_CACHE_MAX = 1024;

function segmentsOf(path: string): readonly string[] {
  let segments = segmentCache.get(path);
  if (segments === undefined) {
    if (segmentCache.size >= SEGMENT_CACHE_MAX) segmentCache.clear();
    segments = parsePointer(path);
    segmentCache.set(path, segments);
  }
  return segments;
}

/**
 * Where a field goes back: its parent must exist, and the slot must be empty (an absent key, or
 * `null` in an array) — the writer left it so. Anything else means the stored data was edited.
 */
function slotFor(data: Record<string, unknown>, path: string, index: number, ctx: PiiReadContext): readonly string[] {
  const segments = segmentsOf(path);
  const last = segments.length - 1;
  let parent: unknown = data;
  for (let depth = 0; depth < last; depth++) parent = child(parent, segments[depth] as string);
  const key = segments[last] as string;
  const free = Array.isArray(parent)
    ? /^(0|[1-9]\d*)$/.test(key) && Number(key) < parent.length && parent[Number(key)] === null
    : isRecord(parent) && !Object.hasOwn(parent, key);
  if (!free) throw placeTaken(path, index, ctx);
  return segments;
}

function placeTaken(path: string, index: number, ctx: PiiReadContext): DecryptionError {
  return new DecryptionError("misplaced", placeOf(ctx, index), `Its field "${path}" cannot go back: its parent is missing or the place is taken. The stored data was altered.`);
}

/** Sets an own property, even one named `__proto__` (JSON data may carry such a key). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** Sets `value` at `segments` of `root`, which the caller owns (its containers may be changed). */
function setIn(root: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let parent = root;
  const last = segments.length - 1;
  for (let depth = 0; depth < last; depth++) parent = parent[segments[depth] as string] as Record<string, unknown>;
  setOwn(parent, segments[last] as string, value);
}

/**
 * A new root object with every key of `data` but `$pii`: cheaper than `delete`, which turns the
 * object into a slow dictionary for whoever reads it next. Nested containers are shared.
 */
function withoutEnvelopes(data: Record<string, unknown>): Record<string, unknown> {
  // Object rest copies own enumerable keys as data properties (`__proto__` included) in one
  // builtin: cheaper than a loop of keyed stores.
  const { [PII_ROOT_KEY]: envelopes, ...root } = data;
  void envelopes;
  return root;
}

/** `data` with its fields back and without `$pii`: a copy, or (when the caller owns `data`) a new root object over its nested containers, changed in place. */
function restore(data: Record<string, unknown>, envelopes: readonly CheckedEnvelope[], values: readonly unknown[][], ctx: PiiReadContext, owned: boolean): unknown {
  const slots: (readonly string[])[] = [];
  // The paths of one envelope are distinct (checkEnvelope); across envelopes, a path claimed twice is refused.
  const seen = envelopes.length > 1 ? new Set<string>() : undefined;
  for (let index = 0; index < envelopes.length; index++) {
    const { paths } = envelopes[index] as CheckedEnvelope;
    for (let field = 0; field < paths.length; field++) {
      const path = paths[field] as string;
      if (seen !== undefined) {
        if (seen.has(path)) throw placeTaken(path, index, ctx);
        seen.add(path);
      }
      slots.push(slotFor(data, path, index, ctx));
    }
  }
  return putBack(data, slots, values, owned);
}

/** {@link restore} for a format-4 list: `values` holds the values of its envelopes, in order. */
function restoreCompact(data: Record<string, unknown>, list: readonly unknown[], values: readonly unknown[][], ctx: PiiReadContext, owned: boolean): unknown {
  const slots: (readonly string[])[] = [];
  // The paths of one envelope are distinct (checkCompactList); across envelopes, a path claimed twice is refused.
  const seen = values.length > 1 ? new Set<string>() : undefined;
  for (let at = FIRST_ENVELOPE_AT; at < list.length; at = nextEnvelope(list, at)) {
    const count = list[at + 1] as number;
    for (let field = 0; field < count; field++) {
      const path = list[at + 2 + field] as string;
      if (seen !== undefined) {
        if (seen.has(path)) throw placeTaken(path, at, ctx);
        seen.add(path);
      }
      slots.push(slotFor(data, path, at, ctx));
    }
  }
  return putBack(data, slots, values, owned);
}

/**
 * `data` without `$pii` and with each decrypted value at its slot (`values` per envelope, in
 * slot order): a copy, or (when the caller owns `data`) a new root over its nested containers,
 * changed in place. Shared by every envelope format.
 */
function putBack(data: Record<string, unknown>, slots: readonly (readonly string[])[], values: readonly unknown[][], owned: boolean): unknown {
  let slot = 0;
  if (!owned) {
    const replacements: { segments: readonly string[]; value: unknown }[] = [{ segments: [PII_ROOT_KEY], value: REMOVE }];
    for (const envelopeValues of values) for (const value of envelopeValues) replacements.push({ segments: slots[slot++] as string[], value });
    return replaceAt(data, replacements);
  }
  const root = withoutEnvelopes(data);
  for (const envelopeValues of values) for (const value of envelopeValues) setIn(root, slots[slot++] as string[], value);
  return root;
}

/** Decrypts an event in format 4, whose list was checked. */
function decryptCompact(data: Record<string, unknown>, list: readonly unknown[], deks: ReadonlyMap<string, SubjectDek>, ctx: PiiReadContext, owned: boolean): unknown {
  if (owned && nextEnvelope(list, FIRST_ENVELOPE_AT) === list.length) {
    // One subject, data the caller owns (a page just read): the values go straight into the new
    // root, each place checked as it is filled (the paths of one envelope are distinct).
    const values = openCompact(list, FIRST_ENVELOPE_AT, deks.get(list[FIRST_ENVELOPE_AT] as string), ctx);
    const root = withoutEnvelopes(data);
    for (let field = 0; field < values.length; field++) {
      setIn(root, slotFor(data, list[FIRST_ENVELOPE_AT + 2 + field] as string, FIRST_ENVELOPE_AT, ctx), values[field]);
    }
    return root;
  }
  const values: unknown[][] = [];
  for (let at = FIRST_ENVELOPE_AT; at < list.length; at = nextEnvelope(list, at)) values.push(openCompact(list, at, deks.get(list[at] as string), ctx));
  return restoreCompact(data, list, values, ctx, owned);
}

/**
 * Decrypts the personal data of one stored event: the fields come back at their places, and an
 * erased subject's fields (no data key) become {@link ERASED}. Returns `data` itself when it holds
 * no personal data; never mutates it. Decrypt stored data before upcasting it: envelopes hold
 * the fields at their write-time paths.
 *
 * @throws {@link DecryptionError} for tampered, foreign or malformed envelopes, and for data at
 * another schema version than its envelopes (`misplaced`); `KeyUnwrapError` / `KekNotFoundError`
 * when a data key exists but its KEK cannot unwrap it.
 */
export async function decryptPersonalData(data: unknown, ctx: PiiReadContext, keys: SubjectKeys): Promise<unknown> {
  const [decrypted] = await decryptPersonalDataMany([{ data, context: ctx }], keys);
  return decrypted;
}

/** How {@link decryptPersonalDataMany} may treat its input. */
export interface DecryptOptions {
  /**
   * The caller owns the data (rows just parsed from the database, referenced nowhere else): the
   * fields are put back into its nested containers instead of into copies, and the result's root
   * is a new object without `$pii` (not `data` itself: deleting a key would make it a slow
   * dictionary object). Saves a copy per event on reads.
   */
  readonly owned?: boolean;
}

/**
 * {@link decryptPersonalData} for a batch of events, with one key lookup for the whole batch:
 * the way to read many events (a replay, a projection catching up).
 */
export async function decryptPersonalDataMany(
  events: readonly { readonly data: unknown; readonly context: PiiReadContext }[],
  keys: SubjectKeys,
  options: DecryptOptions = {},
): Promise<unknown[]> {
  // Per event: its format-4 list, or its checked format-2/3 envelopes (empty: no personal data).
  const located: (CheckedEnvelope[] | unknown[])[] = new Array<CheckedEnvelope[] | unknown[]>(events.length);
  const compact = new Uint8Array(events.length);
  const keyIds: string[] = [];
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as (typeof events)[number];
    const list = isRecord(event.data) ? event.data[PII_ROOT_KEY] : undefined;
    if (isCompactList(list)) {
      checkCompactList(list, event.context, keyIds);
      located[index] = list;
      compact[index] = 1;
      continue;
    }
    const envelopes = locate(event.data, event.context);
    located[index] = envelopes;
    for (const envelope of envelopes) keyIds.push(envelope.keyId);
  }
  const deks = keyIds.length === 0 ? new Map<string, SubjectDek>() : await keys.deksByKeyId(keyIds);
  const owned = options.owned === true;
  const result: unknown[] = new Array<unknown>(events.length);
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as (typeof events)[number];
    if (compact[index] === 1) {
      result[index] = decryptCompact(event.data as Record<string, unknown>, located[index] as unknown[], deks, event.context, owned);
      continue;
    }
    const envelopes = located[index] as CheckedEnvelope[];
    if (envelopes.length === 0) {
      result[index] = event.data;
      continue;
    }
    const values: unknown[][] = [];
    for (let at = 0; at < envelopes.length; at++) {
      const envelope = envelopes[at] as CheckedEnvelope;
      values.push(openEnvelope(envelope, at, deks.get(envelope.keyId), event.context));
    }
    result[index] = restore(event.data as Record<string, unknown>, envelopes, values, event.context, owned);
  }
  return result;
}

/** The columns of a stored event row that decryption reads; rows without an event id (a read's horizon row) pass through. */
export interface DecryptableRow {
  readonly event_id: string | null;
  readonly type: string | null;
  readonly schema_version: number | null;
  readonly data: unknown;
}

/**
 * Decrypts a page of rows just read from the events table, in place: each row's `data` becomes
 * its decrypted data (erased subjects' fields `ERASED`), with one key lookup for the page. The
 * rows must be the caller's own (nothing else holds their data): their nested containers are
 * reused. Format-4 rows take a path without per-row wrappers; others go through
 * {@link decryptPersonalDataMany}.
 *
 * @throws as {@link decryptPersonalDataMany}.
 */
export async function decryptRowsInPlace(rows: readonly DecryptableRow[], keys: SubjectKeys): Promise<void> {
  const keyIds: string[] = [];
  // Rows in format 4, with their lists and contexts (parallel arrays: no wrapper per row).
  const compactRows: DecryptableRow[] = [];
  const lists: unknown[][] = [];
  const contexts: PiiReadContext[] = [];
  let others: { readonly row: DecryptableRow; readonly data: unknown; readonly context: PiiReadContext }[] | undefined;
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index] as DecryptableRow;
    if (row.event_id === null) continue;
    const data = row.data;
    if (!isRecord(data)) continue;
    const list = data[PII_ROOT_KEY];
    if (list === undefined) continue;
    const context: PiiReadContext = { eventId: row.event_id, eventType: row.type as string, schemaVersion: row.schema_version as number };
    if (isCompactList(list)) {
      checkCompactList(list, context, keyIds);
      compactRows.push(row);
      lists.push(list);
      contexts.push(context);
    } else {
      (others ??= []).push({ row, data, context });
    }
  }
  if (others !== undefined) {
    const plain = await decryptPersonalDataMany(others, keys, { owned: true });
    others.forEach(({ row }, index) => ((row as { data: unknown }).data = plain[index]));
  }
  if (compactRows.length === 0) return;
  const deks = await keys.deksByKeyId(keyIds);
  for (let index = 0; index < compactRows.length; index++) {
    const row = compactRows[index] as { data: unknown };
    row.data = decryptCompact(row.data as Record<string, unknown>, lists[index] as unknown[], deks, contexts[index] as PiiReadContext, true);
  }
}

/** The key id and write-time field paths of each envelope in stored `data`: what {@link exportSubject} lists. */
export function personalFieldsOf(data: unknown, ctx: PiiReadContext): { readonly keyId: string; readonly paths: readonly string[] }[] {
  const list = isRecord(data) ? data[PII_ROOT_KEY] : undefined;
  if (isCompactList(list)) {
    checkCompactList(list, ctx, []);
    return compactFields(list);
  }
  return locate(data, ctx).map(({ keyId, paths }) => ({ keyId, paths }));
}
