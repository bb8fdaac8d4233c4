/**
 * Test support: reads a Wycheproof AEAD vector file (copied with its Apache-2.0 licence into
 * `test/data/wycheproof/`) and decodes one vector's hex fields. Shared by the AES-GCM and
 * XChaCha20-Poly1305 wrapper tests.
 *
 * @module
 */
import { readFileSync } from "node:fs";

/** One Wycheproof AEAD vector, hex-encoded. */
export interface AeadTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly key: string;
  readonly iv: string;
  readonly aad: string;
  readonly msg: string;
  readonly ct: string;
  readonly tag: string;
  readonly result: "valid" | "invalid" | "acceptable";
}

/** A group of vectors sharing key, nonce and tag sizes (in bits). */
export interface AeadTestGroup {
  readonly keySize: number;
  readonly ivSize: number;
  readonly tagSize: number;
  readonly tests: readonly AeadTest[];
}

/** A whole vector file. */
export interface AeadVectors {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly AeadTestGroup[];
}

/** Reads `test/data/wycheproof/<fileName>` of the runtime package. */
export function readAeadVectors(fileName: string): AeadVectors {
  return JSON.parse(readFileSync(new URL(`../../../test/data/wycheproof/${fileName}`, import.meta.url), "utf8")) as AeadVectors;
}

/** The vector's key, nonce, associated data, message, ciphertext and tag as bytes. */
export function vectorBytes(test: AeadTest): { key: Buffer; iv: Buffer; aad: Buffer; msg: Buffer; ct: Buffer; tag: Buffer } {
  const hex = (text: string): Buffer => Buffer.from(text, "hex");
  return { key: hex(test.key), iv: hex(test.iv), aad: hex(test.aad), msg: hex(test.msg), ct: hex(test.ct), tag: hex(test.tag) };
}

/** What `run` threw; fails the test when it returns instead. */
export function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
