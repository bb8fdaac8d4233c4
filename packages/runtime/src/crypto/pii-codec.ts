/**
 * Encrypts an event's personal-data fields before it is stored, and decrypts them when it is read.
 *
 * Writing needs the event version's `pii` field list; reading needs no schema at all: envelopes
 * are found wherever they are, so it works before and after upcasting.
 */
import type { PiiFieldSpec } from "../registry.js";
import { open, randomNonce, seal } from "./aes-gcm.js";
import { DecryptionError, isCryptoError, PiiFieldError } from "./crypto-errors.js";
import { createEnvelope, envelopeAad, parseEnvelope } from "./envelope.js";
import type { ParsedEnvelope, PiiEnvelope } from "./envelope.js";
import { ERASED } from "./erased.js";
import { expandField, findEnvelopes, formatPointer, replaceAt } from "./pii-paths.js";
import type { ConcreteField } from "./pii-paths.js";
import type { SubjectDek, SubjectKeys } from "./subject-keys.js";

/** The stored event a field belongs to. All three are bound into every field's associated data. */
export interface PiiWriteContext {
  readonly eventId: string;
  readonly eventType: string;
  /** The schema version the data is written with. */
  readonly schemaVersion: number;
}

/** The stored event being read; `schemaVersion` is the version of the `data` handed over (before or after upcasting). */
export type PiiReadContext = PiiWriteContext;

/** Leaves the outermost field when personal-data paths nest (`/address` and `/address/street`). */
function outermost(fields: readonly ConcreteField[]): ConcreteField[] {
  const chosen: ConcreteField[] = [];
  for (const field of [...fields].sort((a, b) => a.segments.length - b.segments.length)) {
    if (!chosen.some((outer) => field.pointer === outer.pointer || field.pointer.startsWith(`${outer.pointer}/`))) chosen.push(field);
  }
  return chosen;
}

/**
 * Returns a copy of `data` with every personal-data field replaced by its encrypted envelope,
 * each under its own data subject's key (created on first use). Validate the plaintext first:
 * the envelope no longer matches the schema. The input is not mutated.
 *
 * Call it for every event written, also those without personal data: it is what refuses data
 * that already holds an envelope-shaped object (which readers would try to decrypt).
 *
 * @throws {@link PiiFieldError} when a field's subject id is missing or not a string, or when
 * `data` already holds an envelope-shaped object (it would read back as someone else's field).
 *
 * @example
 * ```ts
 * const stored = await encryptPersonalData(event.data, spec.pii, { eventId, eventType: "CustomerRegistered", schemaVersion: 1 }, keys);
 * ```
 */
export async function encryptPersonalData(data: unknown, piiFields: readonly PiiFieldSpec[], ctx: PiiWriteContext, keys: SubjectKeys): Promise<unknown> {
  const [injected] = findEnvelopes(data);
  if (injected !== undefined) {
    throw new PiiFieldError(ctx.eventType, formatPointer(injected.segments), 'the plaintext already holds an object with "$strata": "pii"; Strata refuses to store values shaped like its own envelopes.');
  }
  const fields = outermost(piiFields.flatMap((spec) => expandField(data, spec, ctx.eventType)));
  if (fields.length === 0) return data;
  const subjects = [...new Set(fields.map((field) => field.subjectId))];
  const deks = new Map(await Promise.all(subjects.map(async (subjectId) => [subjectId, await keys.dekFor(subjectId, { create: true })] as const)));
  return replaceAt(
    data,
    fields.map((field) => ({ segments: field.segments, value: sealField(field, deks.get(field.subjectId) as SubjectDek, ctx) })),
  );
}

function sealField(field: ConcreteField, dek: SubjectDek, ctx: PiiWriteContext): PiiEnvelope {
  let json: string | undefined;
  try {
    json = JSON.stringify(field.value) as string | undefined;
  } catch {
    json = undefined; // No cause on purpose: it may describe the value.
  }
  if (json === undefined) throw new PiiFieldError(ctx.eventType, field.pointer, "its value is not JSON-serialisable.");
  const binding = { keyId: dek.keyId, eventId: ctx.eventId, eventType: ctx.eventType, schemaVersion: ctx.schemaVersion, path: field.pointer };
  const nonce = randomNonce();
  const sealed = seal(dek.key, nonce, Buffer.from(json, "utf8"), envelopeAad(binding));
  return createEnvelope({ keyId: dek.keyId, path: field.pointer, schemaVersion: ctx.schemaVersion, nonce, sealed });
}

interface FoundEnvelope {
  readonly segments: readonly string[];
  readonly envelope: ParsedEnvelope;
  readonly pointer: string;
}

function locate(data: unknown, ctx: PiiReadContext): FoundEnvelope[] {
  return findEnvelopes(data).map(({ segments, value }) => {
    const pointer = formatPointer(segments);
    return { segments, pointer, envelope: parseEnvelope(value, { eventId: ctx.eventId, eventType: ctx.eventType, path: pointer }) };
  });
}

function openField(found: FoundEnvelope, dek: SubjectDek | undefined, ctx: PiiReadContext): unknown {
  if (dek === undefined) return ERASED;
  const { envelope, pointer } = found;
  const location = { eventId: ctx.eventId, eventType: ctx.eventType, path: pointer };
  if (envelope.schemaVersion > ctx.schemaVersion) {
    throw new DecryptionError("misplaced", location, `It claims schema version ${envelope.schemaVersion}, later than the event's ${ctx.schemaVersion}.`);
  }
  if (envelope.schemaVersion === ctx.schemaVersion && envelope.path !== pointer) {
    throw new DecryptionError("misplaced", location, `It was written at "${envelope.path}" of schema version ${envelope.schemaVersion}; without an upcast in between it cannot have moved.`);
  }
  const binding = { keyId: envelope.keyId, eventId: ctx.eventId, eventType: ctx.eventType, schemaVersion: envelope.schemaVersion, path: envelope.path };
  let plaintext: Uint8Array;
  try {
    plaintext = open(dek.key, envelope.nonce, envelope.sealed, envelopeAad(binding));
  } catch (cause) {
    if (!isCryptoError(cause, "CRYPTO_AUTHENTICATION")) throw cause;
    throw new DecryptionError("authentication-failed", location, "The ciphertext was altered, or it was copied from another event.", { cause });
  }
  try {
    return JSON.parse(Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength).toString("utf8")) as unknown;
  } catch {
    // No cause on purpose: JSON.parse's message quotes the input, which is the plaintext.
    throw new DecryptionError("malformed-envelope", location, "The decrypted value is not JSON; it was not written by encryptPersonalData.");
  }
}

/**
 * Decrypts every envelope in `data`, wherever it sits. Fields of erased subjects (no data key)
 * become {@link ERASED}. Returns `data` itself when it holds no envelope; never mutates it.
 *
 * Decrypt stored data before upcasting where possible: then an envelope must sit exactly where
 * it was written, so one copied to another field fails (`misplaced`). After upcasting (data
 * version above the envelope's), a moved envelope is accepted, still bound to its event.
 *
 * @throws {@link DecryptionError} for tampered, foreign, misplaced or malformed envelopes;
 * `KeyUnwrapError` / `KekNotFoundError` when a data key exists but its KEK cannot unwrap it.
 */
export async function decryptPersonalData(data: unknown, ctx: PiiReadContext, keys: SubjectKeys): Promise<unknown> {
  const [decrypted] = await decryptPersonalDataMany([{ data, context: ctx }], keys);
  return decrypted;
}

/**
 * {@link decryptPersonalData} for a batch of events, with one key lookup for the whole batch:
 * the way to read many events (a replay, a projection catching up).
 */
export async function decryptPersonalDataMany(
  events: readonly { readonly data: unknown; readonly context: PiiReadContext }[],
  keys: SubjectKeys,
): Promise<unknown[]> {
  const located = events.map((event) => locate(event.data, event.context));
  const keyIds = located.flatMap((found) => found.map((item) => item.envelope.keyId));
  const deks = keyIds.length === 0 ? new Map<string, SubjectDek>() : await keys.deksByKeyId(keyIds);
  return events.map((event, index) => {
    const found = located[index] ?? [];
    const values = found.map((item) => ({ segments: item.segments, value: openField(item, deks.get(item.envelope.keyId), event.context) }));
    return replaceAt(event.data, values);
  });
}
