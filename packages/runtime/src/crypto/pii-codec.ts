/**
 * Encrypts an event's personal-data fields before it is stored (pii-decrypt.ts reads them back).
 *
 * Writing needs the event version's `pii` field list; reading needs no schema: the envelopes
 * under the data's `$pii` key name their key, schema version and field paths (see envelope.ts).
 */
import type { PiiFieldSpec } from "../registry.js";
import { fillRandom, scratchArea, smallArea, view } from "./aead-scratch.js";
import { randomNonce, seal } from "./aes-gcm.js";
import { compactList } from "./compact-envelopes.js";
import type { CompactEnvelope } from "./compact-envelopes.js";
import { PiiFieldError } from "./crypto-errors.js";
import { envelopeAadRoom, writeEnvelopeAad } from "./envelope-aad-writer.js";
import { createEnvelope, ENVELOPE_VERSION, envelopeAad, PII_ROOT_KEY } from "./envelope.js";
import type { EnvelopeBinding, EnvelopeVersion, ObjectEnvelopeVersion, PiiEnvelope } from "./envelope.js";
import { personalFields } from "./pii-fields.js";
import { isRecord, REMOVE, replaceAt } from "./pii-paths.js";
import type { ConcreteField } from "./pii-paths.js";
import type { SubjectDek, SubjectKeys } from "./subject-keys.js";
import { XCHACHA_NONCE_BYTES, XCHACHA_TAG_BYTES, xchachaSealInto } from "./xchacha20-poly1305.js";

/** How {@link encryptPersonalData} writes. */
export interface EncryptOptions {
  /**
   * Envelope format: 4 (XChaCha20-Poly1305 in the compact list, the default), 3 (the same cipher,
   * one object per envelope) or 2 (AES-256-GCM). All are read back; choose 3 or 2 only to stay
   * readable by an older runtime during a rolling upgrade.
   */
  readonly format?: EnvelopeVersion;
}

/** The stored event the fields belong to. All three are bound into every envelope's associated data. */
export interface PiiWriteContext {
  readonly eventId: string;
  readonly eventType: string;
  /** The schema version the data is written with. */
  readonly schemaVersion: number;
}

/** The stored event being read; `schemaVersion` is the version of the stored `data` (decrypt before upcasting). */
export type PiiReadContext = PiiWriteContext;

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
export async function encryptPersonalData(
  data: unknown,
  piiFields: readonly PiiFieldSpec[],
  ctx: PiiWriteContext,
  keys: SubjectKeys,
  options: EncryptOptions = {},
): Promise<unknown> {
  const [stored] = await encryptPersonalDataMany([{ data, fields: piiFields, context: ctx }], keys, options);
  return stored;
}

/** One event for {@link encryptPersonalDataMany}: its data, its version's personal-data fields, and where it is stored. */
export interface PiiWriteItem {
  readonly data: unknown;
  readonly fields: readonly PiiFieldSpec[];
  readonly context: PiiWriteContext;
}

/** The personal fields of one event, by subject. */
function fieldsBySubject(item: PiiWriteItem): Map<string, ConcreteField[]> | undefined {
  const { data, context } = item;
  if (isRecord(data) && Object.hasOwn(data, PII_ROOT_KEY)) {
    throw new PiiFieldError(context.eventType, `/${PII_ROOT_KEY}`, `the data has a root "${PII_ROOT_KEY}" key, which Strata reserves for its envelopes; rename the field.`);
  }
  const fields = personalFields(data, item.fields, context.eventType);
  if (fields.length === 0) return undefined;
  if (!isRecord(data) || fields.some((field) => field.segments.length === 0)) {
    throw new PiiFieldError(context.eventType, "", "the whole event data is marked as personal data; mark its fields instead (x-pii on properties).");
  }
  const bySubject = new Map<string, ConcreteField[]>();
  for (const field of fields) {
    const list = bySubject.get(field.subjectId);
    if (list === undefined) bySubject.set(field.subjectId, [field]);
    else list.push(field);
  }
  return bySubject;
}

/**
 * {@link encryptPersonalData} for a batch of events: every field is found first, then each
 * subject's data key is looked up (or created) once for the whole batch, then every envelope is
 * sealed without waiting on anything. The way to write many events (an append of a batch).
 *
 * @throws {@link PiiFieldError} as {@link encryptPersonalData}, before any key is created.
 */
export async function encryptPersonalDataMany(items: readonly PiiWriteItem[], keys: SubjectKeys, options: EncryptOptions = {}): Promise<unknown[]> {
  const planned = items.map(fieldsBySubject);
  const subjects: string[] = [];
  for (const bySubject of planned) if (bySubject !== undefined) for (const subjectId of bySubject.keys()) subjects.push(subjectId);
  const deks = subjects.length === 0 ? new Map<string, SubjectDek>() : await keys.deksFor(subjects, { create: true });
  const format = options.format ?? ENVELOPE_VERSION;
  return items.map((item, index) => {
    const bySubject = planned[index];
    if (bySubject === undefined) return item.data;
    const removed: ConcreteField[] = [];
    if (format === 4) {
      const sealed: CompactEnvelope[] = [];
      for (const [subjectId, fields] of bySubject) {
        sealed.push(sealCompact(fields, deks.get(subjectId) as SubjectDek, item.context));
        removed.push(...fields);
      }
      return withEnvelopes(item.data as Record<string, unknown>, removed, compactList(item.context.schemaVersion, sealed));
    }
    const envelopes: PiiEnvelope[] = [];
    for (const [subjectId, fields] of bySubject) {
      envelopes.push(sealSubject(fields, deks.get(subjectId) as SubjectDek, item.context, format));
      removed.push(...fields);
    }
    return withEnvelopes(item.data as Record<string, unknown>, removed, envelopes);
  });
}

/** Sets an own property, even one named `__proto__` (JSON data may carry such a key). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** A copy of `data` without the `removed` fields and with the envelopes under `$pii`: a new root object when every field is top-level, `replaceAt` otherwise. */
function withEnvelopes(data: Record<string, unknown>, removed: readonly ConcreteField[], envelopes: readonly unknown[]): unknown {
  if (removed.some((field) => field.segments.length !== 1)) {
    return replaceAt(data, [...removed.map((field) => ({ segments: field.segments, value: REMOVE })), { segments: [PII_ROOT_KEY], value: envelopes }]);
  }
  const root: Record<string, unknown> = {};
  for (const key of Object.keys(data)) if (!removed.some((field) => field.segments[0] === key)) setOwn(root, key, data[key]);
  root[PII_ROOT_KEY] = envelopes;
  return root;
}

function plaintextOf(fields: readonly ConcreteField[], ctx: PiiWriteContext): string {
  let text = "[";
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index] as ConcreteField;
    let json: string | undefined;
    try {
      json = JSON.stringify(field.value) as string | undefined;
    } catch {
      json = undefined; // No cause on purpose: it may describe the value.
    }
    if (json === undefined) throw new PiiFieldError(ctx.eventType, field.pointer, "its value is not JSON-serialisable.");
    text += index === 0 ? json : `,${json}`;
  }
  return `${text}]`;
}

/** One subject's fields of an event sealed in format 4 (format 3's cipher and plaintext, `v` = 4 in the associated data). */
function sealCompact(fields: readonly ConcreteField[], dek: SubjectDek, ctx: PiiWriteContext): CompactEnvelope {
  const paths = fields.map((field) => field.pointer);
  const binding: EnvelopeBinding = { version: 4, keyId: dek.keyId, eventId: ctx.eventId, eventType: ctx.eventType, schemaVersion: ctx.schemaVersion, paths };
  return { keyId: dek.keyId, paths, sealed: sealXChaCha(dek.bytes, plaintextOf(fields, ctx), binding) };
}

function sealSubject(fields: readonly ConcreteField[], dek: SubjectDek, ctx: PiiWriteContext, format: ObjectEnvelopeVersion): PiiEnvelope {
  const paths = fields.map((field) => field.pointer);
  const plaintext = plaintextOf(fields, ctx);
  const binding: EnvelopeBinding = { version: format, keyId: dek.keyId, eventId: ctx.eventId, eventType: ctx.eventType, schemaVersion: ctx.schemaVersion, paths };
  if (format === 3) return { v: 3, k: dek.keyId, sv: ctx.schemaVersion, p: paths, c: sealXChaCha(dek.bytes, plaintext, binding) };
  const nonce = randomNonce();
  const { ciphertext, tag } = seal(dek.key, nonce, Buffer.from(plaintext, "utf8"), envelopeAad(binding));
  return createEnvelope({ version: 2, keyId: dek.keyId, schemaVersion: ctx.schemaVersion, paths, nonce, sealed: Buffer.concat([ciphertext, tag]) });
}

/**
 * `c` of a format-3 envelope, sealed in the scratch area: nonce ‖ ciphertext ‖ tag at its start,
 * then the plaintext and the associated data; the plaintext is zeroed before returning.
 */
function sealXChaCha(key: Uint8Array, plaintext: string, binding: EnvelopeBinding): string {
  const aadRoom = envelopeAadRoom(binding);
  const small = smallArea;
  if (small.fits(XCHACHA_NONCE_BYTES + plaintext.length * 3 + XCHACHA_TAG_BYTES, aadRoom, plaintext.length * 3)) {
    const { buffer, aadAt, plainAt } = small;
    const plainBytes = buffer.write(plaintext, plainAt, "utf8");
    const aadBytes = writeEnvelopeAad(binding, buffer, aadAt);
    const sealedBytes = plainBytes + XCHACHA_TAG_BYTES;
    fillRandom(buffer, 0, XCHACHA_NONCE_BYTES);
    try {
      xchachaSealInto(small.at(XCHACHA_NONCE_BYTES, sealedBytes), key, small.at(0, XCHACHA_NONCE_BYTES), small.at(plainAt, plainBytes), small.at(aadAt, aadBytes));
    } finally {
      buffer.fill(0, plainAt, plainAt + plainBytes);
    }
    return buffer.toString("base64url", 0, XCHACHA_NONCE_BYTES + sealedBytes);
  }
  const sealedRoom = plaintext.length * 3 + XCHACHA_TAG_BYTES;
  const plainAt = XCHACHA_NONCE_BYTES + sealedRoom;
  const area = scratchArea(plainAt + plaintext.length * 3 + aadRoom);
  const plainBytes = area.write(plaintext, plainAt, "utf8");
  const aadAt = plainAt + plainBytes;
  const aadBytes = writeEnvelopeAad(binding, area, aadAt);
  const sealedBytes = plainBytes + XCHACHA_TAG_BYTES;
  fillRandom(area, 0, XCHACHA_NONCE_BYTES);
  try {
    xchachaSealInto(view(area, XCHACHA_NONCE_BYTES, sealedBytes), key, view(area, 0, XCHACHA_NONCE_BYTES), view(area, plainAt, plainBytes), view(area, aadAt, aadBytes));
  } finally {
    area.fill(0, plainAt, aadAt);
  }
  return area.toString("base64url", 0, XCHACHA_NONCE_BYTES + sealedBytes);
}
