/**
 * The seam between Strata and whoever holds the key-encryption keys (KEKs).
 *
 * Data keys (one per data subject) are stored only wrapped by a KEK. {@link LocalKekProvider}
 * keeps KEKs in process memory, loaded from an environment variable or a file. To keep KEKs in a
 * KMS or HSM instead (AWS KMS `Encrypt`/`Decrypt`, Google Cloud KMS, Azure Key Vault `wrapKey`,
 * HashiCorp Vault Transit), implement this interface: the KMS key version is the `kekId`, and
 * `context` maps to the KMS's encryption context or additional authenticated data. Strata calls
 * `unwrap` once per data key and caches the result (bounded, with a TTL), so a remote KMS is not
 * on every read's path.
 */

/** Wraps and unwraps data keys with key-encryption keys. Implement it to plug in a KMS. */
export interface KekProvider {
  /** The KEK id new data keys are wrapped with, and the default target of KEK rotation. */
  currentKekId(): string;
  /** Every KEK id the provider holds; the store checks each against its stored check value on open. Default: only the current one. */
  kekIds?(): readonly string[];
  /**
   * Encrypts a 32-byte data key with KEK `kekId`, binding `context` (associated data: the data
   * key's id), so a wrapped key moved to another key's row fails to unwrap.
   *
   * @throws `KekNotFoundError` when `kekId` is unknown.
   */
  wrap(kekId: string, dek: Uint8Array, context: Uint8Array): Promise<Uint8Array>;
  /**
   * Reverses {@link KekProvider.wrap}.
   *
   * @throws `KekNotFoundError` when `kekId` is unknown; `KeyUnwrapError` when the wrapped bytes
   * do not authenticate under that KEK and context (wrong KEK material, tampering, swapped rows).
   */
  unwrap(kekId: string, wrapped: Uint8Array, context: Uint8Array): Promise<Uint8Array>;
}

/**
 * The `context` Strata passes to {@link KekProvider.wrap} and {@link KekProvider.unwrap} for a data
 * key: its key id, so a wrapped key copied to another row fails to unwrap. Never the subject id,
 * because KMS audit logs record the context in clear.
 */
export function dataKeyContext(keyId: string): Uint8Array {
  return Buffer.from(`strata:dek:v1:${keyId}`, "utf8");
}
