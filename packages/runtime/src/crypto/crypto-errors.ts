/**
 * Typed errors of Strata's crypto-shredding layer.
 *
 * Every message names what is at fault (event id and type, field path, key id, KEK id,
 * parameter) and never carries plaintext, key material or a data subject's id.
 *
 * They are {@link StrataError}s: `isStrataError(e, "DECRYPTION_FAILED")` narrows them like every
 * runtime error, and {@link isCryptoError} narrows to the crypto codes only.
 *
 * @module
 */
import { StrataError } from "../errors.js";

/** The stable codes of crypto errors, one per error class. */
export const CRYPTO_ERROR_CODES = [
  "CRYPTO_PARAMETER",
  "CRYPTO_AUTHENTICATION",
  "DECRYPTION_FAILED",
  "KEY_UNWRAP_FAILED",
  "KEK_NOT_FOUND",
  "KEK_MISMATCH",
  "KEK_CONFIG_INVALID",
  "PII_FIELD_INVALID",
] as const;

/** One of {@link CRYPTO_ERROR_CODES}. */
export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

/** Base class of every crypto error: a stable `code` and an optional chained `cause`. */
export abstract class CryptoError extends StrataError {
  /** Stable, machine-readable code. */
  declare readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * True when `error` is a crypto error, optionally of one given code. Checks `code`, not only
 * `instanceof`, so it works across two installed copies of the runtime.
 */
export function isCryptoError<C extends CryptoErrorCode>(
  error: unknown,
  code?: C,
): error is CryptoError & { readonly code: C } {
  if (typeof error !== "object" || error === null) return false;
  const actual = (error as { code?: unknown }).code;
  if (code !== undefined) return actual === code;
  return typeof actual === "string" && (CRYPTO_ERROR_CODES as readonly string[]).includes(actual);
}

/**
 * A parameter an AEAD wrapper refuses by design: a key not 256 bits, a nonce not 96 bits
 * (AES-GCM) or 192 bits (XChaCha20-Poly1305), a tag not 128 bits.
 */
export class CryptoParameterError extends CryptoError {
  declare readonly code: "CRYPTO_PARAMETER";

  constructor(
    /** Which parameter was refused: `key`, `nonce` or `tag`. */
    readonly parameter: "key" | "nonce" | "tag",
    /** What the wrapper requires, for example `32 bytes (AES-256)`. */
    readonly expected: string,
    /** What it got, for example `16 bytes`. Never the value itself. */
    readonly actual: string,
    /** Which wrapper refused it. */
    readonly algorithm: "AES-GCM" | "XChaCha20-Poly1305" = "AES-GCM",
  ) {
    super(
      "CRYPTO_PARAMETER",
      `${algorithm} ${parameter} refused: expected ${expected}, got ${actual}. ` +
        `Strata only uses AES-256-GCM with 96-bit nonces and XChaCha20-Poly1305 with 192-bit nonces, both with 128-bit tags.`,
    );
  }
}

/**
 * The authentication tag (AES-GCM or XChaCha20-Poly1305) did not verify. Low-level and context-free on purpose: code that knows the
 * event, field or key wraps it into a {@link DecryptionError} or {@link KeyUnwrapError} naming them.
 */
export class AuthenticationFailure extends CryptoError {
  declare readonly code: "CRYPTO_AUTHENTICATION";

  constructor(options?: { readonly cause?: unknown }) {
    super("CRYPTO_AUTHENTICATION", "Authenticated decryption failed: the ciphertext, nonce, tag, key or associated data differ from what was sealed.", options);
  }
}

/** Why a ciphertext could not be turned back into a value. */
export type DecryptionFailure =
  /** The tag did not verify: tampered ciphertext, nonce or tag, wrong key, or associated data that differs (another event). */
  | "authentication-failed"
  /** A value marked as a Strata envelope whose fields are missing or not decodable. */
  | "malformed-envelope"
  /** An envelope format version this runtime does not know. */
  | "unsupported-version"
  /** The envelope sits at another path than the one it was written at, with no upcast in between. */
  | "misplaced";

/** A personal-data envelope could not be decrypted. Never returns or logs any plaintext. */
export class DecryptionError extends CryptoError {
  declare readonly code: "DECRYPTION_FAILED";

  constructor(
    readonly reason: DecryptionFailure,
    /** Where: event id and type and the JSON Pointer the envelope was found at. */
    readonly location: { readonly eventId: string; readonly eventType: string; readonly path: string },
    detail: string,
    options?: { readonly cause?: unknown },
  ) {
    super("DECRYPTION_FAILED", `Cannot decrypt personal data at "${location.path}" of event ${location.eventId} (${location.eventType}): ${reason}. ${detail}`, options);
  }
}

/** A wrapped data key could not be unwrapped with its KEK: wrong KEK material, or a tampered or swapped wrapped key. */
export class KeyUnwrapError extends CryptoError {
  declare readonly code: "KEY_UNWRAP_FAILED";

  constructor(
    readonly kekId: string,
    /** The data key's id, when the thrower knows it (a KEK provider may not). */
    readonly keyId: string | undefined,
    detail: string,
    options?: { readonly cause?: unknown },
  ) {
    super("KEY_UNWRAP_FAILED", `Cannot unwrap ${keyId === undefined ? "a data key" : `data key ${keyId}`} with KEK "${kekId}": ${detail}`, options);
  }
}

/** A KEK id that the KEK provider does not hold (removed too early, or missing from the configuration). */
export class KekNotFoundError extends CryptoError {
  declare readonly code: "KEK_NOT_FOUND";

  constructor(
    readonly kekId: string,
    known: readonly string[],
  ) {
    super(
      "KEK_NOT_FOUND",
      `KEK "${kekId}" is not configured (known: ${known.length === 0 ? "none" : known.map((id) => `"${id}"`).join(", ")}). ` +
        `Add it back to the KEK configuration, or finish \`strata keys rotate-kek\` before removing it.`,
    );
  }
}

/**
 * The KEK configured under an id is not the one this store knows under that id: its stored check
 * value (or a data key it wrapped) does not unwrap. Raised when the store opens, before any data
 * key is wrapped with the wrong material.
 */
export class KekMismatchError extends CryptoError {
  declare readonly code: "KEK_MISMATCH";

  constructor(
    readonly kekId: string,
    options?: { readonly cause?: unknown },
  ) {
    super(
      "KEK_MISMATCH",
      `KEK "${kekId}" does not match the KEK this store was set up with under that id: its check value does not unwrap. ` +
        `Restore the original material of "${kekId}" in STRATA_KEKS (or the KEK file); a new KEK needs a new id, then \`strata keys rotate-kek\`.`,
      options,
    );
  }
}

/** The KEK configuration (environment variable or file) cannot be used. Names the source, never key material. */
export class KekConfigError extends CryptoError {
  declare readonly code: "KEK_CONFIG_INVALID";

  constructor(
    readonly source: string,
    detail: string,
    options?: { readonly cause?: unknown },
  ) {
    super("KEK_CONFIG_INVALID", `Invalid KEK configuration in ${source}: ${detail}`, options);
  }
}

/** A personal-data field cannot be encrypted: its subject id is missing or not a string, its value is not JSON, or the data has its own root `$pii` key. */
export class PiiFieldError extends CryptoError {
  declare readonly code: "PII_FIELD_INVALID";

  constructor(
    readonly eventType: string,
    readonly path: string,
    detail: string,
  ) {
    super("PII_FIELD_INVALID", `Cannot encrypt personal data at "${path}" of a ${eventType} event: ${detail}`);
  }
}
