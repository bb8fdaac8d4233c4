/**
 * AES-256-GCM over node:crypto with strict parameters.
 *
 * The wrapper refuses by design what AES-GCM allows but Strata never needs: keys that are not
 * 256 bits, nonces that are not 96 bits (other sizes go through GHASH, a path with a history of
 * implementation bugs, and a zero-length nonce leaks the authentication key) and tags shorter than
 * 128 bits (node would otherwise accept a truncated tag of 4 bytes). Each refusal is a
 * {@link CryptoParameterError} naming the parameter, thrown before any cryptography runs.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { AuthenticationFailure, CryptoParameterError } from "./crypto-errors.js";

/** Key size of AES-256, in bytes. */
export const AES_KEY_BYTES = 32;
/** Nonce (IV) size, in bytes: 96 bits, the only size GCM handles without GHASH. */
export const GCM_NONCE_BYTES = 12;
/** Authentication tag size, in bytes: the full 128 bits. */
export const GCM_TAG_BYTES = 16;

/** An AES-256 key as raw bytes or as a node secret `KeyObject` (preferred: keeps the bytes off the JS heap). */
export type AesKey = Uint8Array | KeyObject;

/** Ciphertext and tag as separate parts, so the tag's length can be checked. */
export interface SealedParts {
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/** KeyObjects already checked: a data key is used for many fields, and reading its size is not free. */
const checkedKeys = new WeakSet<KeyObject>();

function checkKey(key: AesKey): void {
  if (!(key instanceof Uint8Array) && checkedKeys.has(key)) return;
  const size = key instanceof Uint8Array ? key.byteLength : key.type === "secret" ? key.symmetricKeySize : undefined;
  if (size !== AES_KEY_BYTES) {
    throw new CryptoParameterError("key", `${AES_KEY_BYTES} bytes (AES-256)`, size === undefined ? `a ${key instanceof Uint8Array ? "byte array" : `${key.type} key`}` : `${size} bytes`);
  }
  if (!(key instanceof Uint8Array)) checkedKeys.add(key);
}

function checkNonce(nonce: Uint8Array): void {
  if (nonce.byteLength !== GCM_NONCE_BYTES) {
    throw new CryptoParameterError("nonce", `${GCM_NONCE_BYTES} bytes (96 bits)`, `${nonce.byteLength} bytes`);
  }
}

/** A fresh random 96-bit nonce. With a key per data subject, random nonces stay far below GCM's 2^32 limit per key. */
export function randomNonce(): Uint8Array {
  return randomBytes(GCM_NONCE_BYTES);
}

/**
 * Encrypts and authenticates `plaintext`, binding `aad` (associated data, not encrypted).
 *
 * @throws {@link CryptoParameterError} for a key that is not 32 bytes or a nonce that is not 12 bytes.
 */
export function seal(key: AesKey, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): SealedParts {
  checkKey(key);
  checkNonce(nonce);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad);
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  const ciphertext = tail.byteLength === 0 ? head : Buffer.concat([head, tail]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/**
 * Verifies and decrypts. Returns the plaintext only when the tag verifies over key, nonce,
 * ciphertext and `aad`; otherwise throws, so no unauthenticated byte ever reaches a caller.
 *
 * @throws {@link CryptoParameterError} for a key, nonce or tag of a size the wrapper refuses.
 * @throws {@link AuthenticationFailure} when the tag does not verify.
 */
export function open(key: AesKey, nonce: Uint8Array, sealed: SealedParts, aad: Uint8Array): Uint8Array {
  checkKey(key);
  checkNonce(nonce);
  if (sealed.tag.byteLength !== GCM_TAG_BYTES) {
    throw new CryptoParameterError("tag", `${GCM_TAG_BYTES} bytes (128 bits)`, `${sealed.tag.byteLength} bytes`);
  }
  const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: GCM_TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  const head = decipher.update(sealed.ciphertext);
  try {
    const tail = decipher.final();
    return tail.byteLength === 0 ? head : Buffer.concat([head, tail]);
  } catch (cause) {
    head.fill(0);
    throw new AuthenticationFailure({ cause });
  }
}

