/**
 * The stored form of an event's encrypted personal data.
 *
 * One envelope per data subject per event, listed under the reserved root key `$pii` of the
 * stored event data; the fields it holds are removed from the data (an array item becomes
 * `null`, so later indices do not shift) and put back on read.
 *
 * ```json
 * { "customerId": "c-1", "amount": 5,
 *   "$pii": [{ "v": 2, "k": "Q3b…", "sv": 1, "p": ["/name", "/email"], "c": "<nonce‖ciphertext‖tag>" }] }
 * ```
 *
 * Why one envelope per (event, subject) and not one per field: authenticated decryption through
 * node:crypto costs about 8 µs per call on a 2-core EPYC (a decipher object per message; see
 * `pnpm bench`, figure C0), more than a plain read spends on a whole event. With two personal
 * fields per event, per-field envelopes made reads 4–5× slower; one envelope per subject makes it
 * one call per event, and the stored data shrinks (the nonce, tag and key id are stored once).
 *
 * Each envelope is still self-describing: format version `v`, data key id `k`, the schema version
 * `sv` and JSON Pointers `p` of its fields at write time, and `c` = base64url(nonce ‖ ciphertext ‖
 * tag). The plaintext is the UTF-8 JSON array of the fields' values, in the order of `p`.
 *
 * Envelopes sit at one reserved place, so no value anywhere else in the data is ever taken for
 * one: a string field holding `"$pii"` or an object shaped like an envelope is just data. The
 * writer refuses plaintext that has its own root `$pii` key.
 */
import { GCM_NONCE_BYTES, GCM_TAG_BYTES } from "./aes-gcm.js";
import { DecryptionError } from "./crypto-errors.js";

/** The root key of stored event data under which the envelopes are listed. */
export const PII_ROOT_KEY = "$pii";

/** The envelope format version this runtime writes and reads. */
export const ENVELOPE_VERSION = 2;

/** The encrypted personal-data fields of one subject in one event, as stored. */
export interface PiiEnvelope {
  /** Format version: AES-256-GCM, 96-bit nonce, 128-bit tag, associated data as in {@link envelopeAad}. */
  readonly v: typeof ENVELOPE_VERSION;
  /** Id of the data subject's key (random, reveals nothing about the subject). */
  readonly k: string;
  /** Schema version of the event when it was written. */
  readonly sv: number;
  /** JSON Pointers of the fields at write time, array indices included. Not personal data: schema paths. */
  readonly p: readonly string[];
  /** base64url of nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes). */
  readonly c: string;
}

/** An envelope's fields, decoded and checked. */
export interface ParsedEnvelope {
  readonly keyId: string;
  readonly schemaVersion: number;
  readonly paths: readonly string[];
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
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
    v: ENVELOPE_VERSION,
    k: fields.keyId,
    sv: fields.schemaVersion,
    p: fields.paths,
    c: Buffer.concat([fields.nonce, fields.ciphertext, fields.tag]).toString("base64url"),
  };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function checkPaths(paths: unknown): string | undefined {
  if (!Array.isArray(paths) || paths.length === 0) return "field paths `p` missing or empty";
  for (const path of paths as unknown[]) {
    if (typeof path !== "string" || !path.startsWith("/")) return "a field path in `p` is not a JSON Pointer below the root";
  }
  return new Set(paths).size === paths.length ? undefined : "field paths `p` repeat a path";
}

function problemWith(raw: Partial<Record<keyof PiiEnvelope, unknown>>): string | undefined {
  if (typeof raw.k !== "string" || raw.k === "") return "key id `k` missing";
  if (typeof raw.sv !== "number" || !Number.isSafeInteger(raw.sv) || raw.sv < 1) return "write-time schema version `sv` missing";
  const paths = checkPaths(raw.p);
  if (paths !== undefined) return paths;
  if (typeof raw.c !== "string" || !BASE64URL.test(raw.c) || raw.c.length % 4 === 1) return "`c` is not base64url";
  return undefined;
}

/**
 * Decodes and checks one entry of the `$pii` list; `where` names its place for an error (built
 * only then: this runs for every event read).
 *
 * @throws {@link DecryptionError} `unsupported-version` for a format this runtime does not read,
 * `malformed-envelope` for missing or undecodable fields.
 */
export function parseEnvelope(value: unknown, where: () => EnvelopeLocation): ParsedEnvelope {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DecryptionError("malformed-envelope", where(), "The stored envelope is damaged: it is not an object.");
  }
  const raw = value as Partial<Record<keyof PiiEnvelope, unknown>>;
  if (raw.v !== ENVELOPE_VERSION) {
    throw new DecryptionError("unsupported-version", where(), `Envelope format ${JSON.stringify(raw.v) ?? "(none)"} is not supported; this runtime reads format ${ENVELOPE_VERSION}.`);
  }
  const problem = problemWith(raw);
  const combined = problem === undefined ? Buffer.from(raw.c as string, "base64url") : undefined;
  if (combined === undefined || combined.byteLength < GCM_NONCE_BYTES + GCM_TAG_BYTES) {
    throw new DecryptionError("malformed-envelope", where(), `The stored envelope is damaged: ${problem ?? "`c` is shorter than nonce and tag"}.`);
  }
  const split = combined.byteLength - GCM_TAG_BYTES;
  return {
    keyId: raw.k as string,
    schemaVersion: raw.sv as number,
    paths: raw.p as string[],
    nonce: combined.subarray(0, GCM_NONCE_BYTES),
    ciphertext: combined.subarray(GCM_NONCE_BYTES, split),
    tag: combined.subarray(split),
  };
}

/** What the associated data of an envelope binds. `eventId` and `eventType` come from the stored event, never from the envelope. */
export interface EnvelopeBinding {
  readonly keyId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly paths: readonly string[];
}

/**
 * The associated data of an envelope: the UTF-8 bytes of the JSON array
 * `["strata:pii", v, keyId, eventId, eventType, schemaVersion, [paths…]]`. `JSON.stringify` of
 * strings, integers and an array of strings has exactly one output, so writer and reader agree
 * byte for byte. An envelope copied into another event fails (its event id differs); one whose
 * paths were edited to put a value into another field fails too.
 */
export function envelopeAad(binding: EnvelopeBinding): Uint8Array {
  return Buffer.from(
    JSON.stringify(["strata:pii", ENVELOPE_VERSION, binding.keyId, binding.eventId, binding.eventType, binding.schemaVersion, binding.paths]),
    "utf8",
  );
}
