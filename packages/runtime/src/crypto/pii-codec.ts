/**
 * Encrypts an event's personal-data fields before it is stored (pii-decrypt.ts reads them back).
 *
 * Writing needs the event version's `pii` field list; reading needs no schema: the envelopes
 * under the data's `$pii` key name their key, schema version and field paths (see envelope.ts).
 */
import type { PiiFieldSpec } from "../registry.js";
import { randomNonce, seal } from "./aes-gcm.js";
import { PiiFieldError } from "./crypto-errors.js";
import { createEnvelope, ENVELOPE_VERSION, envelopeAad, PII_ROOT_KEY } from "./envelope.js";
import type { EnvelopeVersion, PiiEnvelope } from "./envelope.js";
import { expandField, isRecord, REMOVE, replaceAt } from "./pii-paths.js";
import type { ConcreteField } from "./pii-paths.js";
import type { SubjectDek, SubjectKeys } from "./subject-keys.js";
import { randomXNonce, xchachaSeal } from "./xchacha20-poly1305.js";

/** How {@link encryptPersonalData} writes. */
export interface EncryptOptions {
  /**
   * Envelope format: 3 (XChaCha20-Poly1305, the default) or 2 (AES-256-GCM, what earlier
   * releases wrote). Both are read back; choose 2 only to stay readable by an older runtime
   * during a rolling upgrade.
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
export async function encryptPersonalData(
  data: unknown,
  piiFields: readonly PiiFieldSpec[],
  ctx: PiiWriteContext,
  keys: SubjectKeys,
  options: EncryptOptions = {},
): Promise<unknown> {
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
    [...bySubject].map(async ([subjectId, subjectFields]) => sealSubject(subjectFields, await keys.dekFor(subjectId, { create: true }), ctx, options.format ?? ENVELOPE_VERSION)),
  );
  return replaceAt(data, [...fields.map((field) => ({ segments: field.segments, value: REMOVE })), { segments: [PII_ROOT_KEY], value: envelopes }]);
}

function sealSubject(fields: readonly ConcreteField[], dek: SubjectDek, ctx: PiiWriteContext, format: EnvelopeVersion): PiiEnvelope {
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
  const plaintext = Buffer.from(`[${values.join(",")}]`, "utf8");
  const aad = envelopeAad({ version: format, keyId: dek.keyId, eventId: ctx.eventId, eventType: ctx.eventType, schemaVersion: ctx.schemaVersion, paths });
  if (format === 3) {
    const nonce = randomXNonce();
    return createEnvelope({ version: 3, keyId: dek.keyId, schemaVersion: ctx.schemaVersion, paths, nonce, sealed: xchachaSeal(dek.bytes, nonce, plaintext, aad) });
  }
  const nonce = randomNonce();
  const { ciphertext, tag } = seal(dek.key, nonce, plaintext, aad);
  return createEnvelope({ version: 2, keyId: dek.keyId, schemaVersion: ctx.schemaVersion, paths, nonce, sealed: Buffer.concat([ciphertext, tag]) });
}
