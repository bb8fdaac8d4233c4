/**
 * Decrypts the personal data of stored events (written by pii-codec.ts): finds the envelopes
 * under `$pii`, opens each with its subject's data key, and puts the fields back at their
 * write-time paths — or the erased marker when the key is gone.
 */
import { GCM_TAG_BYTES, open } from "./aes-gcm.js";
import { DecryptionError, isCryptoError } from "./crypto-errors.js";
import { envelopeAad, parseEnvelope, PII_ROOT_KEY } from "./envelope.js";
import type { EnvelopeLocation, ParsedEnvelope } from "./envelope.js";
import { ERASED } from "./erased.js";
import type { PiiReadContext } from "./pii-codec.js";
import { child, isRecord, parsePointer, REMOVE, replaceAt } from "./pii-paths.js";
import type { SubjectDek, SubjectKeys } from "./subject-keys.js";
import { xchachaOpen } from "./xchacha20-poly1305.js";

/** The place of the `index`th envelope of an event, for error messages. */
function placeOf(ctx: PiiReadContext, index?: number): EnvelopeLocation {
  return { eventId: ctx.eventId, eventType: ctx.eventType, path: index === undefined ? `/${PII_ROOT_KEY}` : `/${PII_ROOT_KEY}/${index}` };
}

/** The envelopes of one stored event, parsed; empty when it holds no personal data. */
function locate(data: unknown, ctx: PiiReadContext): ParsedEnvelope[] {
  if (!isRecord(data)) return [];
  const list = data[PII_ROOT_KEY];
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length === 0) {
    throw new DecryptionError("malformed-envelope", placeOf(ctx), "The stored envelope list is damaged: it is not a non-empty array.");
  }
  return list.map((entry: unknown, index) => {
    const envelope = parseEnvelope(entry, () => placeOf(ctx, index));
    if (envelope.schemaVersion !== ctx.schemaVersion) {
      throw new DecryptionError(
        "misplaced",
        placeOf(ctx, index),
        `It was written with schema version ${envelope.schemaVersion}, but the data handed over is version ${ctx.schemaVersion}; decrypt stored data before upcasting it.`,
      );
    }
    return envelope;
  });
}

/** Opens a format-2 envelope: AES-256-GCM, the tag the last 16 bytes. */
function openGcm(key: SubjectDek["key"], envelope: ParsedEnvelope, aad: Uint8Array): Uint8Array {
  const split = envelope.sealed.byteLength - GCM_TAG_BYTES;
  return open(key, envelope.nonce, { ciphertext: envelope.sealed.subarray(0, split), tag: envelope.sealed.subarray(split) }, aad);
}

/** The values of one envelope: decrypted, or `ERASED` for each field when its key is gone. */
function openEnvelope(envelope: ParsedEnvelope, index: number, dek: SubjectDek | undefined, ctx: PiiReadContext): unknown[] {
  if (dek === undefined) return envelope.paths.map(() => ERASED);
  const aad = envelopeAad({
    version: envelope.version,
    keyId: envelope.keyId,
    eventId: ctx.eventId,
    eventType: ctx.eventType,
    schemaVersion: envelope.schemaVersion,
    paths: envelope.paths,
  });
  let plaintext: Uint8Array;
  try {
    plaintext = envelope.version === 3 ? xchachaOpen(dek.bytes, envelope.nonce, envelope.sealed, aad) : openGcm(dek.key, envelope, aad);
  } catch (cause) {
    if (!isCryptoError(cause, "CRYPTO_AUTHENTICATION")) throw cause;
    throw new DecryptionError("authentication-failed", placeOf(ctx, index), "The ciphertext or its field paths were altered, or it was copied from another event.", { cause });
  }
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength).toString("utf8")) as unknown;
  } catch {
    values = undefined; // No cause on purpose: JSON.parse's message quotes the input, which is the plaintext.
  }
  if (!Array.isArray(values) || values.length !== envelope.paths.length) {
    throw new DecryptionError("malformed-envelope", placeOf(ctx, index), "The decrypted value is not one JSON value per field path; it was not written by encryptPersonalData.");
  }
  return values;
}

/**
 * Where a field goes back: its parent must exist, and the slot must be empty (an absent key, or
 * `null` in an array) — the writer left it so. Anything else means the stored data was edited.
 */
function slotFor(data: Record<string, unknown>, path: string, index: number, ctx: PiiReadContext): string[] {
  const segments = parsePointer(path);
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

/** Sets `value` at `segments` of `root`, which the caller owns (its containers may be changed). */
function setIn(root: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let parent = root;
  const last = segments.length - 1;
  for (let depth = 0; depth < last; depth++) parent = parent[segments[depth] as string] as Record<string, unknown>;
  const key = segments[last] as string;
  if (key === "__proto__") Object.defineProperty(parent, key, { value, writable: true, enumerable: true, configurable: true });
  else parent[key] = value;
}

/** `data` with its fields back and without `$pii`: a copy, or `data` itself changed when the caller owns it. */
function restore(data: Record<string, unknown>, envelopes: readonly ParsedEnvelope[], values: readonly unknown[][], ctx: PiiReadContext, owned: boolean): unknown {
  const replacements: { segments: readonly string[]; value: unknown }[] = [];
  const seen = new Set<string>();
  envelopes.forEach((envelope, index) => {
    envelope.paths.forEach((path, field) => {
      if (seen.has(path)) throw placeTaken(path, index, ctx); // claimed by two envelopes
      seen.add(path);
      replacements.push({ segments: slotFor(data, path, index, ctx), value: values[index]?.[field] });
    });
  });
  if (!owned) return replaceAt(data, [{ segments: [PII_ROOT_KEY], value: REMOVE }, ...replacements]);
  delete data[PII_ROOT_KEY];
  for (const { segments, value } of replacements) setIn(data, segments, value);
  return data;
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
   * fields are put back into it instead of into a copy, which saves a copy per event on reads.
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
  const located = events.map((event) => locate(event.data, event.context));
  const keyIds = located.flatMap((envelopes) => envelopes.map((envelope) => envelope.keyId));
  const deks = keyIds.length === 0 ? new Map<string, SubjectDek>() : await keys.deksByKeyId(keyIds);
  return events.map((event, index) => {
    const envelopes = located[index] ?? [];
    if (envelopes.length === 0) return event.data;
    const values = envelopes.map((envelope, at) => openEnvelope(envelope, at, deks.get(envelope.keyId), event.context));
    return restore(event.data as Record<string, unknown>, envelopes, values, event.context, options.owned === true);
  });
}

/** The key id and write-time field paths of each envelope in stored `data`: what {@link exportSubject} lists. */
export function personalFieldsOf(data: unknown, ctx: PiiReadContext): { readonly keyId: string; readonly paths: readonly string[] }[] {
  return locate(data, ctx).map(({ keyId, paths }) => ({ keyId, paths }));
}
