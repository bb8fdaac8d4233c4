/**
 * A {@link KekProvider} holding KEKs in process memory: the default, and the reference for KMS
 * implementations. Several KEK versions are held at once so that data keys wrapped by an older
 * KEK stay readable while `strata keys rotate-kek` re-wraps them.
 *
 * Wrapping is AES-256-GCM (not AES Key Wrap, RFC 3394): it takes associated data, which binds a
 * wrapped key to its key id, and it reuses the one strict primitive the rest of the layer uses.
 * Wrapped form: `0x01 ‖ nonce (12) ‖ encrypted data key (32) ‖ tag (16)`, 61 bytes.
 */
import { createSecretKey, randomBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { AES_KEY_BYTES, GCM_NONCE_BYTES, GCM_TAG_BYTES, open, randomNonce, seal } from "./aes-gcm.js";
import { isCryptoError, KekConfigError, KekNotFoundError, KeyUnwrapError } from "./crypto-errors.js";
import type { KekProvider } from "./kek-provider.js";
import { readKekConfig } from "./local-kek-config.js";

const WRAP_FORMAT = 0x01;
const WRAPPED_BYTES = 1 + GCM_NONCE_BYTES + AES_KEY_BYTES + GCM_TAG_BYTES;
const KEK_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** KEK material by id, and which one is current. */
export interface LocalKekOptions {
  /** KEKs by id, each exactly 32 bytes. */
  readonly keks: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;
  /** The id new data keys are wrapped with. */
  readonly current: string;
}

/**
 * KEKs from configuration, held in memory.
 *
 * @example
 * ```ts
 * // STRATA_KEKS="v1:<base64 of 32 random bytes>,v2:<base64>"  STRATA_KEK_CURRENT=v2 (default: the last)
 * const keks = LocalKekProvider.fromEnv();
 * ```
 */
export class LocalKekProvider implements KekProvider {
  readonly #keks = new Map<string, KeyObject>();
  readonly #current: string;

  constructor(options: LocalKekOptions, source = "LocalKekProvider options") {
    const entries = options.keks instanceof Map ? [...options.keks] : Object.entries(options.keks);
    for (const [id, material] of entries) {
      if (!KEK_ID.test(id)) throw new KekConfigError(source, `KEK id ${JSON.stringify(id)} must be 1-64 letters, digits, ".", "_" or "-".`);
      if (material.byteLength !== AES_KEY_BYTES) {
        throw new KekConfigError(source, `KEK "${id}" is ${material.byteLength} bytes; a KEK must be exactly ${AES_KEY_BYTES} random bytes.`);
      }
      this.#keks.set(id, createSecretKey(Buffer.from(material)));
    }
    if (!this.#keks.has(options.current)) {
      throw new KekConfigError(source, `the current KEK "${options.current}" is not among the configured KEKs (${this.kekIds().join(", ") || "none"}).`);
    }
    this.#current = options.current;
  }

  /**
   * Reads `STRATA_KEKS` (`id:base64,id:base64`; current = `STRATA_KEK_CURRENT` or the last) or
   * `STRATA_KEKS_FILE` (a JSON file `{"current": "v2", "keks": {"v1": "<base64>", "v2": "<base64>"}}`).
   *
   * @throws `KekConfigError` naming the variable or file when neither or both are set, or the content is invalid.
   */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): LocalKekProvider {
    const config = readKekConfig(env);
    return new LocalKekProvider(config, config.source);
  }

  /** Whether `id` is a valid KEK id: 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit. */
  static isKekId(id: string): boolean {
    return KEK_ID.test(id);
  }

  /** A new random KEK, base64: what to put into `STRATA_KEKS` or a KEK file. */
  static generateKek(): string {
    return randomBytes(AES_KEY_BYTES).toString("base64");
  }

  /** The configured KEK ids, in configuration order. Every one is checked against the store's check values on open. */
  kekIds(): readonly string[] {
    return [...this.#keks.keys()];
  }

  currentKekId(): string {
    return this.#current;
  }

  // async although the work is synchronous: every failure becomes a rejection, as from a KMS.
  async wrap(kekId: string, dek: Uint8Array, context: Uint8Array): Promise<Uint8Array> {
    const nonce = randomNonce();
    const { ciphertext, tag } = seal(this.#kek(kekId), nonce, dek, context);
    return Buffer.concat([Buffer.of(WRAP_FORMAT), nonce, ciphertext, tag]);
  }

  async unwrap(kekId: string, wrapped: Uint8Array, context: Uint8Array): Promise<Uint8Array> {
    const kek = this.#kek(kekId);
    if (wrapped.byteLength !== WRAPPED_BYTES || wrapped[0] !== WRAP_FORMAT) {
      throw new KeyUnwrapError(kekId, undefined, `the wrapped key is not in local format 1 (${wrapped.byteLength} bytes, expected ${WRAPPED_BYTES}).`);
    }
    const bytes = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
    const nonceEnd = 1 + GCM_NONCE_BYTES;
    const tagStart = WRAPPED_BYTES - GCM_TAG_BYTES;
    try {
      return open(kek, bytes.subarray(1, nonceEnd), { ciphertext: bytes.subarray(nonceEnd, tagStart), tag: bytes.subarray(tagStart) }, context);
    } catch (cause) {
      const detail = isCryptoError(cause, "CRYPTO_AUTHENTICATION")
        ? "authentication failed: the KEK material differs from the one that wrapped it, or the wrapped key was altered or moved."
        : "the wrapped key could not be decrypted.";
      throw new KeyUnwrapError(kekId, undefined, detail, { cause });
    }
  }

  #kek(kekId: string): KeyObject {
    const kek = this.#keks.get(kekId);
    if (kek === undefined) throw new KekNotFoundError(kekId, this.kekIds());
    return kek;
  }
}
