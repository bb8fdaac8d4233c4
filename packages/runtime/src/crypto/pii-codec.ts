/**
 * Encrypts an event's personal-data fields before it is stored, and decrypts them when it is read.
 *
 * Writing needs the event version's `pii` field list; reading needs no schema: the envelopes
 * under the data's `$pii` key name their key, schema version and field paths (see envelope.ts).
 */
import type { PiiFieldSpec } from "../registry.js";
import { open, randomNonce, seal } from "./aes-gcm.js";
import { DecryptionError, isCryptoError, PiiFieldError } from "./crypto-errors.js";
import { createEnvelope, envelopeAad, parseEnvelope, PII_ROOT_KEY } from "./envelope.js";
import type { EnvelopeLocation, ParsedEnvelope, PiiEnvelope } from "./envelope.js";
import { ERASED } from "./erased.js";
import { child, expandField, parsePointer, REMOVE, replaceAt } from "./pii-paths.js";
import type { ConcreteField } from "./pii-paths.js";
import type { SubjectDek, SubjectKeys } from "./subject-keys.js";

/** The stored event the fields belong to. All three are bound into every envelope's associated data. */
export interface PiiWriteContext {
  readonly eventId: string;
  readonly eventType: string;
  /** The schema version the data is written with. */
  readonly schemaVersion: number;
}

/** The stored event being read; `schemaVersion` is the version of the stored `data` (decrypt before upcasting). */
export type PiiReadContext = PiiWriteContext;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Leaves the outermost field when personal-data paths nest (`/address` and `/address/street`). */
function outermost(fields: readonly ConcreteField[]): ConcreteField[] {
  const chosen: ConcreteField[] = [];
  for (const field of [...fields].sort((a, b) => a.segments.length - b.segments.length)) {
    if (!chosen.some((outer) => field.pointer === outer.pointer || field.pointer.startsWith(`${outer.pointer}/`))) chosen.push(field);
  }
  return chosen;
}

/**
 * Returns a copy of `data` whose personal-data fields are removed and sealed, one envelope per
 * data subject (each under its subject's key, created on first use), listed under `$pii`.
 * Validate the plaintext first: the stored form no longer matches the schema. The input is not
 * mutated; data without personal fields is returned as it is.
 *
 * @throws {@link PiiFieldError} when a field's subject id is missing or not a string, a value is
 * not JSON, the whole data is marked personal, or the data has its own root `$pii` key (the place
 * Strata reserves for envelopes).
 *
 * @example
 * ```ts
 * const stored = await encryptPersonalData(event.data, spec.pii, { eventId, eventType: "CustomerRegistered", schemaVersion: 1 }, keys);
 * ```
 */
export async function encryptPersonalData(data: unknown, piiFields: readonly PiiFieldSpec[], ctx: PiiWriteContext, keys: SubjectKeys): Promise<unknown> {
  if (isRecord(data) && Object.hasOwn(data, PII_ROOT_KEY)) {
    throw new PiiFieldError(ctx.eventType, `/${PII_ROOT_KEY}`, `the data has a root "${PII_ROOT_KEY}" key, which Strata reserves for its envelopes; rename the field.`);
  }
  const fields = outermost(piiFields.flatMap((spec) => expandField(data, spec, ctx.eventType)));
  if (fields.length === 0) return data;
  if (!isRecord(data) || fields.some((field) => field.segments.length === 0)) {
    throw new PiiFieldError(ctx.eventType, "", "the whole event data is marked as personal data; mark its fields instead (x-pii on properties).");
  }
  const bySubject = new Map<string, ConcreteField[]>();
  for (const field of fields) bySubject.set(field.subjectId, [...(bySubject.get(field.subjectId) ?? []), field]);
  const envelopes = await Promise.all(
    [...bySubject].map(async ([subjectId, subjectFields]) => sealSubject(subjectFields, await keys.dekFor(subjectId, { create: true }), ctx)),
  );
  return replaceAt(data, [...fields.map((field) => ({ segments: field.segments, value: REMOVE })), { segments: [PII_ROOT_KEY], value: envelopes }]);
}

function sealSubject(fields: readonly ConcreteField[], dek: SubjectDek, ctx: PiiWriteContext): PiiEnvelope {
  const values = fields.map((field) => {
    let json: string | undefined;
    try {
      json = JSON.stringify(field.value) as string | undefined;
    } catch {
      json = undefined; // No cause on purpose: it may describe the value.
    }
    if (json === undefined) throw new PiiFieldError(ctx.eventType, field.pointer, "its value is not JSON-serialisable.");
    return json;
  });
  const paths = fields.map((field) => field.pointer);
  const nonce = randomNonce();
  const binding = { keyId: dek.keyId, eventId: ctx.eventId, eventType: ctx.eventType, schemaVersion: ctx.schemaVersion, paths };
  const sealed = seal(dek.key, nonce, Buffer.from(`[${values.join(",")}]`, "utf8"), envelopeAad(binding));
  return createEnvelope({ keyId: dek.keyId, schemaVersion: ctx.schemaVersion, paths, nonce, ...sealed });
}

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

/** The values of one envelope: decrypted, or `ERASED` for each field when its key is gone. */
function openEnvelope(envelope: ParsedEnvelope, index: number, dek: SubjectDek | undefined, ctx: PiiReadContext): unknown[] {
  if (dek === undefined) return envelope.paths.map(() => ERASED);
  const binding = { keyId: envelope.keyId, eventId: ctx.eventId, eventType: ctx.eventType, schemaVersion: envelope.schemaVersion, paths: envelope.paths };
  let plaintext: Uint8Array;
  try {
    plaintext = open(dek.key, envelope.nonce, envelope, envelopeAad(binding));
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
