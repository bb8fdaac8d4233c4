/**
 * KEK check values (key commitment): before a KEK wraps or unwraps anything, the store proves
 * that the material configured under its id is the material the store has known under that id.
 *
 * The check value of KEK `id` is a constant (32 zero bytes) wrapped by that KEK through the
 * {@link KekProvider} with the context `strata:kek-check:v1:<id>`, stored once per id in the key
 * store. Unwrapping it authenticates (AES-GCM in the local provider, the KMS's own check in a
 * KMS), so other material under the same id fails, and the store refuses to open with
 * {@link KekMismatchError} naming the id, before any data key is wrapped by the wrong KEK.
 *
 * The first time an id is seen (an upgrade from a release without check values, or a new KEK),
 * one data key it already wrapped, if any, is unwrapped first, so a wrong KEK is not committed to.
 */
import { isCryptoError, KekMismatchError } from "./crypto-errors.js";
import { dataKeyContext } from "./kek-provider.js";
import type { KekProvider } from "./kek-provider.js";
import type { KeyStore } from "./key-store.js";

const CHECK_PLAINTEXT_BYTES = 32;

/** The `context` a KEK's check value is wrapped with. */
export function kekCheckContext(kekId: string): Uint8Array {
  return Buffer.from(`strata:kek-check:v1:${kekId}`, "utf8");
}

async function unwraps(run: () => Promise<Uint8Array>, kekId: string): Promise<Uint8Array> {
  try {
    return await run();
  } catch (cause) {
    if (isCryptoError(cause, "KEK_NOT_FOUND")) throw cause;
    throw new KekMismatchError(kekId, { cause });
  }
}

/**
 * Verifies KEK `kekId` against its stored check value, storing one on first use.
 *
 * @throws {@link KekMismatchError} when the configured material is not the one known under the id.
 * @throws `KekNotFoundError` when the provider does not hold `kekId`.
 */
export async function verifyKek(store: KeyStore, keks: KekProvider, kekId: string): Promise<void> {
  const context = kekCheckContext(kekId);
  let check = await store.getKekCheck(kekId);
  if (check === undefined) {
    const sample = await store.findKeyWrappedBy(kekId);
    if (sample !== undefined) (await unwraps(() => keks.unwrap(kekId, sample.wrappedDek, dataKeyContext(sample.keyId)), kekId)).fill(0);
    check = await store.putKekCheck(kekId, await keks.wrap(kekId, new Uint8Array(CHECK_PLAINTEXT_BYTES), context));
  }
  const plain = await unwraps(() => keks.unwrap(kekId, check, context), kekId);
  const constant = plain.byteLength === CHECK_PLAINTEXT_BYTES && plain.every((byte) => byte === 0);
  plain.fill(0);
  if (!constant) throw new KekMismatchError(kekId);
}
