/**
 * The stored form of an event's encrypted personal data.
 *
 * One envelope per data subject per event, listed under the reserved root key `$pii` of the
 * stored event data; the fields it holds are removed from the data (an array item becomes
 * `null`, so later indices do not shift) and put back on read.
 *
 * ```json
 * { "customerId": "c-1", "amount": 5,
 *   "$pii": [{ "v": 3, "k": "Q3b…", "sv": 1, "p": ["/name", "/email"], "c": "<nonce‖ciphertext‖tag>" }] }
 * ```
 *
 * Formats: 2 is AES-256-GCM (12-byte nonce) through node:crypto; 3 is XChaCha20-Poly1305
 * (24-byte random nonce) through libsodium, about four times cheaper per open (node:crypto builds
 * a decipher object per message, 4–8 µs; libsodium is one call, 1–1.5 µs). Format 4, written
 * since, seals exactly as format 3 but stores the envelopes of an event as one flat list
 * instead of one object each (see compact-envelopes.ts). All three stay readable. Format 1 (one
 * envelope per field, inline) was never released and is not read.
 *
 * Why one envelope per (event, subject) and not one per field: one authenticated decryption per
 * event instead of one per field, and the stored data shrinks (nonce, tag and key id stored once).
 *
 * Each envelope is still self-describing: format version `v`, data key id `k`, the schema version
 * `sv` and JSON Pointers `p` of its fields at write time, and `c` = base64url(nonce ‖ ciphertext ‖
 * tag), the nonce 12 bytes in format 2 and 24 in format 3. The plaintext is the UTF-8 JSON array of the fields' values, in the order of `p`.
 *
 * Envelopes sit at one reserved place, so no value anywhere else in the data is ever taken for
 * one: a string field holding `"$pii"` or an object shaped like an envelope is just data. The
 * writer refuses plaintext that has its own root `$pii` key.
 */
import { GCM_NONCE_BYTES, GCM_TAG_BYTES } from "./aes-gcm.js";
import { DecryptionError } from "./crypto-errors.js";
import { XCHACHA_NONCE_BYTES, XCHACHA_TAG_BYTES } from "./xchacha20-poly1305.js";

/** The root key of stored event data under which the envelopes are listed. */
export const PII_ROOT_KEY = "$pii";

/** The envelope format version this runtime writes: 4, XChaCha20-Poly1305 in the compact list (see compact-envelopes.ts). */
export const ENVELOPE_VERSION = 4;

/** The envelope formats this runtime reads: 2 (AES-256-GCM), 3 (XChaCha20-Poly1305) and 4 (format 3's cipher, compact list). */
export const READABLE_ENVELOPE_VERSIONS = [2, 3, 4] as const;

/** One of {@link READABLE_ENVELOPE_VERSIONS}. */
export type EnvelopeVersion = (typeof READABLE_ENVELOPE_VERSIONS)[number];

/** The formats stored as one object per envelope ({@link PiiEnvelope}); format 4 is a flat list instead. */
export type ObjectEnvelopeVersion = 2 | 3;

/** Nonce and tag sizes per format. */
const SIZES: Readonly<Record<EnvelopeVersion, { readonly nonce: number; readonly tag: number }>> = {
  2: { nonce: GCM_NONCE_BYTES, tag: GCM_TAG_BYTES },
  3: { nonce: XCHACHA_NONCE_BYTES, tag: XCHACHA_TAG_BYTES },
  4: { nonce: XCHACHA_NONCE_BYTES, tag: XCHACHA_TAG_BYTES },
};

/** The encrypted personal-data fields of one subject in one event, as stored in formats 2 and 3. */
export interface PiiEnvelope {
  /** Format version: 2 = AES-256-GCM (12-byte nonce), 3 = XChaCha20-Poly1305 (24-byte nonce); 128-bit tags, associated data as in {@link envelopeAad}. */
  readonly v: ObjectEnvelopeVersion;
  /** Id of the data subject's key (random, reveals nothing about the subject). */
  readonly k: string;
  /** Schema version of the event when it was written. */
  readonly sv: number;
  /** JSON Pointers of the fields at write time, array indices included. Not personal data: schema paths. */
  readonly p: readonly string[];
  /** base64url of nonce ‖ ciphertext ‖ tag (16 bytes). */
  readonly c: string;
}

/** An envelope's fields, decoded and checked. */
export interface ParsedEnvelope {
  readonly version: ObjectEnvelopeVersion;
  readonly keyId: string;
  readonly schemaVersion: number;
  readonly paths: readonly string[];
  readonly nonce: Uint8Array;
  /** Ciphertext ‖ tag. */
  readonly sealed: Uint8Array;
}

/** Where an envelope was found, for error messages. */
export interface EnvelopeLocation {
  readonly eventId: string;
  readonly eventType: string;
  readonly path: string;
}

/** Builds the stored envelope of one subject's sealed fields. */
export function createEnvelope(fields: ParsedEnvelope): PiiEnvelope {
  return {
    v: fields.version,
    k: fields.keyId,
    sv: fields.schemaVersion,
    p: fields.paths,
    c: Buffer.concat([fields.nonce, fields.sealed]).toString("base64url"),
  };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function checkPaths(paths: unknown): string | undefined {
  if (!Array.isArray(paths) || paths.length === 0) return "field paths `p` missing or empty";
  for (const path of paths as unknown[]) {
    if (typeof path !== "string" || !path.startsWith("/")) return "a field path in `p` is not a JSON Pointer below the root";
  }
  return hasRepeat(paths as string[]) ? "field paths `p` repeat a path" : undefined;
}

/** Whether a string repeats in `values` (a pairwise scan for the few paths of an envelope, a set beyond). */
function hasRepeat(values: readonly string[]): boolean {
  if (values.length > 8) return new Set(values).size !== values.length;
  for (let i = 1; i < values.length; i++) for (let j = 0; j < i; j++) if (values[i] === values[j]) return true;
  return false;
}

function problemWith(raw: Partial<Record<keyof PiiEnvelope, unknown>>): string | undefined {
  if (typeof raw.k !== "string" || raw.k === "") return "key id `k` missing";
  if (typeof raw.sv !== "number" || !Number.isSafeInteger(raw.sv) || raw.sv < 1) return "write-time schema version `sv` missing";
  const paths = checkPaths(raw.p);
  if (paths !== undefined) return paths;
  if (typeof raw.c !== "string" || !BASE64URL.test(raw.c) || raw.c.length % 4 === 1) return "`c` is not base64url";
  return undefined;
}

/** An envelope's fields, checked, with `c` still encoded: what a reader needs before it decodes into a buffer of its own. */
export interface CheckedEnvelope extends Omit<ParsedEnvelope, "nonce" | "sealed"> {
  /** `c`: base64url (unpadded) of nonce ‖ ciphertext ‖ tag, long enough for nonce and tag. */
  readonly encoded: string;
  /** Bytes `encoded` decodes to. */
  readonly byteLength: number;
}

/**
 * Checks one entry of the `$pii` list without decoding `c`; `where` names its place for an error
 * (built only then: this runs for every event read).
 *
 * @throws {@link DecryptionError} `unsupported-version` for a format this runtime does not read,
 * `malformed-envelope` for missing or undecodable fields.
 */
export function checkEnvelope(value: unknown, where: () => EnvelopeLocation): CheckedEnvelope {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DecryptionError("malformed-envelope", where(), "The stored envelope is damaged: it is not an object.");
  }
  const raw = value as Partial<Record<keyof PiiEnvelope, unknown>>;
  const version = raw.v;
  if (version !== 3 && version !== 2) {
    throw new DecryptionError(
      "unsupported-version",
      where(),
      `Envelope format ${JSON.stringify(version) ?? "(none)"} is not supported as an envelope object; this runtime reads formats 2 and 3 as objects and format 4 as the compact list.`,
    );
  }
  const sizes = SIZES[version];
  const problem = problemWith(raw);
  // Unpadded base64url: every 4 characters are 3 bytes, a trailing 2 or 3 are 1 or 2.
  const byteLength = problem === undefined ? Math.floor(((raw.c as string).length * 3) / 4) : 0;
  if (problem !== undefined || byteLength < sizes.nonce + sizes.tag) {
    throw new DecryptionError("malformed-envelope", where(), `The stored envelope is damaged: ${problem ?? "`c` is shorter than nonce and tag"}.`);
  }
  return { version, keyId: raw.k as string, schemaVersion: raw.sv as number, paths: raw.p as string[], encoded: raw.c as string, byteLength };
}

/** The nonce size of an envelope format, in bytes. */
export function nonceBytes(version: EnvelopeVersion): number {
  return SIZES[version].nonce;
}

/** What the associated data of an envelope binds. `eventId` and `eventType` come from the stored event, never from the envelope. */
export interface EnvelopeBinding {
  readonly version: EnvelopeVersion;
  readonly keyId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly paths: readonly string[];
}

/**
 * The associated data of an envelope: the UTF-8 bytes of the JSON array
 * `["strata:pii", v, keyId, eventId, eventType, schemaVersion, [paths…]]`, the same binding in
 * every format (only `v` differs). `JSON.stringify` of strings, integers and an array of strings
 * has exactly one output, so writer and reader agree byte for byte. An envelope copied into
 * another event fails (its event id differs); one whose paths were edited to put a value into
 * another field fails too; one whose `v` was changed fails (the format is bound).
 */
export function envelopeAad(binding: EnvelopeBinding): Uint8Array {
  return Buffer.from(envelopeAadText(binding), "utf8");
}

/** The text of {@link envelopeAad}, before UTF-8 encoding (readers write it into a buffer they reuse). */
export function envelopeAadText(binding: EnvelopeBinding): string {
  return JSON.stringify(["strata:pii", binding.version, binding.keyId, binding.eventId, binding.eventType, binding.schemaVersion, binding.paths]);
}
