/**
 * The stored form of one encrypted personal-data field.
 *
 * A small JSON object rather than a prefixed string:
 * - recognisable without a schema: the `$strata: "pii"` discriminator cannot be produced by a
 *   string field, so a user typing `strata:pii:…` into a name field is never mistaken for an
 *   envelope, and the writer refuses plaintext that already holds an envelope-shaped object;
 * - survives JSONB round trips: fields are read by name, so Postgres reordering keys is harmless;
 * - self-describing: format version `v`, data key id `k`, nonce `n`, ciphertext with tag `c`, plus
 *   the write-time path `p` and schema version `sv` that the associated data binds, so an
 *   upcaster may move the field and it still decrypts;
 * - typeable: `PiiEnvelope` is a discriminated object type, not a string pattern.
 *
 * Example: `{"$strata":"pii","v":1,"k":"Q3b…","p":"/email","sv":1,"n":"…","c":"…"}`.
 */
import type { SealedParts } from "./aes-gcm.js";
import { GCM_NONCE_BYTES, GCM_TAG_BYTES } from "./aes-gcm.js";
import { DecryptionError } from "./crypto-errors.js";

/** The envelope format version this runtime writes. */
export const ENVELOPE_VERSION = 1;

/** An encrypted personal-data field as stored in event data. */
export interface PiiEnvelope {
  readonly $strata: "pii";
  /** Envelope format version: AES-256-GCM, 96-bit nonce, 128-bit tag, AAD as in {@link envelopeAad}. */
  readonly v: typeof ENVELOPE_VERSION;
  /** Id of the data subject's key (random, reveals nothing about the subject). */
  readonly k: string;
  /** JSON Pointer of the field when it was written, array indices included. */
  readonly p: string;
  /** Schema version of the event when it was written. */
  readonly sv: number;
  /** Nonce, base64url. */
  readonly n: string;
  /** Ciphertext followed by the 16-byte tag, base64url. */
  readonly c: string;
}

/** An envelope's fields, decoded. */
export interface ParsedEnvelope {
  readonly keyId: string;
  readonly path: string;
  readonly schemaVersion: number;
  readonly nonce: Uint8Array;
  readonly sealed: SealedParts;
}

/** Where an envelope was found, for error messages. */
export interface EnvelopeLocation {
  readonly eventId: string;
  readonly eventType: string;
  readonly path: string;
}

/** True for any object that claims to be a Strata envelope (`$strata: "pii"`), well-formed or not. */
export function isEnvelopeLike(value: unknown): value is { readonly $strata: "pii" } {
  return typeof value === "object" && value !== null && (value as { $strata?: unknown }).$strata === "pii";
}

/** Builds the stored envelope of a sealed field. */
export function createEnvelope(fields: ParsedEnvelope): PiiEnvelope {
  const c = Buffer.concat([fields.sealed.ciphertext, fields.sealed.tag]).toString("base64url");
  return {
    $strata: "pii",
    v: ENVELOPE_VERSION,
    k: fields.keyId,
    p: fields.path,
    sv: fields.schemaVersion,
    n: Buffer.from(fields.nonce).toString("base64url"),
    c,
  };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decode(text: unknown): Buffer | undefined {
  return typeof text === "string" && BASE64URL.test(text) && text.length % 4 !== 1 ? Buffer.from(text, "base64url") : undefined;
}

/**
 * Decodes and checks an envelope found at `location`.
 *
 * @throws {@link DecryptionError} `unsupported-version` for a format this runtime does not know,
 * `malformed-envelope` for missing or undecodable fields.
 */
export function parseEnvelope(value: { readonly $strata: "pii" }, location: EnvelopeLocation): ParsedEnvelope {
  const raw = value as Partial<Record<keyof PiiEnvelope, unknown>>;
  if (raw.v !== ENVELOPE_VERSION) {
    throw new DecryptionError("unsupported-version", location, `Envelope format ${JSON.stringify(raw.v) ?? "(none)"} is not supported; this runtime reads format ${ENVELOPE_VERSION}.`);
  }
  const nonce = decode(raw.n);
  const combined = decode(raw.c);
  const problem =
    typeof raw.k !== "string" || raw.k === ""
      ? "key id `k` missing"
      : typeof raw.p !== "string" || (raw.p !== "" && !raw.p.startsWith("/"))
        ? "write-time path `p` missing or not a JSON Pointer"
        : typeof raw.sv !== "number" || !Number.isSafeInteger(raw.sv) || raw.sv < 1
          ? "write-time schema version `sv` missing"
          : nonce?.byteLength !== GCM_NONCE_BYTES
            ? `nonce \`n\` is not ${GCM_NONCE_BYTES} bytes of base64url`
            : combined === undefined || combined.byteLength < GCM_TAG_BYTES
              ? "ciphertext `c` is not base64url or shorter than the tag"
              : undefined;
  if (problem !== undefined || nonce === undefined || combined === undefined) {
    throw new DecryptionError("malformed-envelope", location, `The stored envelope is damaged: ${problem ?? "undecodable"}.`);
  }
  const split = combined.byteLength - GCM_TAG_BYTES;
  return {
    keyId: raw.k as string,
    path: raw.p as string,
    schemaVersion: raw.sv as number,
    nonce,
    sealed: { ciphertext: combined.subarray(0, split), tag: combined.subarray(split) },
  };
}

/** What the associated data of a field binds. `eventId` and `eventType` come from the stored event, never from the envelope. */
export interface EnvelopeBinding {
  readonly keyId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly path: string;
}

/**
 * The associated data of a field: the UTF-8 bytes of the JSON array
 * `["strata:pii", v, keyId, eventId, eventType, schemaVersion, path]`. `JSON.stringify` of an
 * array of strings and integers has exactly one output, so writer and reader agree byte for
 * byte. A ciphertext copied into another event fails because `eventId` differs; one copied to
 * another field of the same version is caught by the reader's placement check.
 */
export function envelopeAad(binding: EnvelopeBinding): Uint8Array {
  return Buffer.from(
    JSON.stringify(["strata:pii", ENVELOPE_VERSION, binding.keyId, binding.eventId, binding.eventType, binding.schemaVersion, binding.path]),
    "utf8",
  );
}
