/**
 * Data keys per data subject: created on first write, unwrapped through the KEK provider,
 * cached in a bounded LRU with a TTL, forgotten on erasure, re-wrapped on KEK rotation.
 */
import { createSecretKey, randomBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { LRUCache } from "lru-cache";
import { AES_KEY_BYTES } from "./aes-gcm.js";
import { isCryptoError, KeyUnwrapError } from "./crypto-errors.js";
import { dataKeyContext } from "./kek-provider.js";
import type { KekProvider } from "./kek-provider.js";
import type { KeyCompaction, KeyCompactionResult, KeyStore, StoredSubjectKey } from "./key-store.js";
import { verifyKek } from "./kek-check.js";
import { rotateKek } from "./kek-rotation.js";
import type { KekRotationOptions, KekRotationReport } from "./kek-rotation.js";

/**
 * A usable data key: `key` as a node secret `KeyObject` (AES-256-GCM, envelope format 2) and
 * `bytes` for libsodium (XChaCha20-Poly1305, format 3). `bytes` is a buffer of its own (never
 * from node's shared pool), held only as long as the cache holds the key; libsodium takes raw
 * bytes, and its guarded `sodium_malloc` costs pages per key, too much for a cache of 10,000.
 */
export interface SubjectDek {
  readonly keyId: string;
  readonly key: KeyObject;
  readonly bytes: Uint8Array;
}

interface CachedDek extends SubjectDek {
  readonly subjectId: string;
}

/** Bounds of the cache of unwrapped data keys. */
export interface DekCacheOptions {
  /** Most data keys held at once (least recently used go first). Default 10,000. */
  readonly max?: number;
  /** How long an unwrapped key stays cached, in ms; also how long another process may still read a subject after it was erased here. Default 5 minutes. */
  readonly ttlMs?: number;
  /** Clock for the TTL (tests). Default `performance`. */
  readonly clock?: { now(): number };
}

/** What {@link SubjectKeys} is built from. */
export interface SubjectKeysOptions {
  readonly store: KeyStore;
  readonly keks: KekProvider;
  readonly cache?: DekCacheOptions;
}

/**
 * Data keys of data subjects. One instance per process (or per store): its cache is what keeps
 * the key store and the KEK provider off the per-event read path.
 *
 * @example
 * ```ts
 * const keys = new SubjectKeys({ store: new InMemoryKeyStore(), keks: LocalKekProvider.fromEnv() });
 * await keys.forget("customer-42"); // erasure: every field encrypted for customer-42 reads as ERASED
 * ```
 */
export class SubjectKeys {
  readonly #store: KeyStore;
  readonly #keks: KekProvider;
  readonly #byKeyId: LRUCache<string, CachedDek>;
  readonly #keyIdBySubject: LRUCache<string, string>;
  /** Key ids known to be erased. Safe to remember: key ids are random and never reused. */
  readonly #erased: LRUCache<string, true>;
  /** Bumped around every erasure, so a lookup that raced with one does not cache a deleted key. */
  #epoch = 0;
  readonly #creating = new Map<string, Promise<CachedDek | undefined>>();
  /** KEK ids checked against their stored check values (once per id and instance; a failed check is retried). */
  readonly #verified = new Map<string, Promise<void>>();

  constructor(options: SubjectKeysOptions) {
    this.#store = options.store;
    this.#keks = options.keks;
    const { max = 10_000, ttlMs = 300_000, clock } = options.cache ?? {};
    const common = { max, ttl: ttlMs, ...(clock === undefined ? {} : { perf: clock, ttlResolution: 0 }) };
    this.#byKeyId = new LRUCache<string, CachedDek>(common);
    this.#keyIdBySubject = new LRUCache<string, string>(common);
    this.#erased = new LRUCache<string, true>({ max });
  }

  /** The subject's data key, created (and stored wrapped) when `create` is set and it has none. */
  dekFor(subjectId: string, options: { readonly create: true }): Promise<SubjectDek>;
  /** The subject's data key, or `undefined` when it has none (never had one, or erased). */
  dekFor(subjectId: string, options?: { readonly create?: false }): Promise<SubjectDek | undefined>;
  async dekFor(subjectId: string, options?: { readonly create?: boolean }): Promise<SubjectDek | undefined> {
    const cachedId = this.#keyIdBySubject.get(subjectId);
    const cached = cachedId === undefined ? undefined : this.#byKeyId.get(cachedId);
    if (cached !== undefined) return cached;
    if (options?.create !== true) return this.#lookup(subjectId, false);
    // One creation per subject at a time in this process: a burst of first writes makes one
    // data key and one KEK call, not one each (across processes, createKey settles the race).
    const pending = this.#creating.get(subjectId);
    if (pending !== undefined) return pending;
    const creating = this.#lookup(subjectId, true).finally(() => this.#creating.delete(subjectId));
    this.#creating.set(subjectId, creating);
    return creating;
  }

  /**
   * The data keys of several subjects, created where missing: what a batch of events being
   * written needs, one lookup per subject whatever the number of its fields and events. Cached
   * keys are served without waiting on anything else.
   */
  async deksFor(subjectIds: Iterable<string>, options: { readonly create: true }): Promise<ReadonlyMap<string, SubjectDek>> {
    const found = new Map<string, SubjectDek>();
    const missing = new Set<string>();
    for (const subjectId of subjectIds) {
      if (found.has(subjectId) || missing.has(subjectId)) continue;
      const cachedId = this.#keyIdBySubject.get(subjectId);
      const cached = cachedId === undefined ? undefined : this.#byKeyId.get(cachedId);
      if (cached === undefined) missing.add(subjectId);
      else found.set(subjectId, cached);
    }
    if (missing.size === 0) return found;
    const subjects = [...missing];
    const deks = await Promise.all(subjects.map((subjectId) => this.dekFor(subjectId, options)));
    subjects.forEach((subjectId, index) => found.set(subjectId, deks[index] as SubjectDek));
    return found;
  }

  async #lookup(subjectId: string, create: boolean): Promise<CachedDek | undefined> {
    const epoch = this.#epoch;
    const stored = await this.#store.getKeyBySubject(subjectId);
    const dek = stored !== undefined ? await this.#unwrap(stored) : create ? await this.#create(subjectId) : undefined;
    if (dek !== undefined) this.#remember(dek, epoch);
    return dek;
  }

  /**
   * Data keys by key id, as envelopes name them, fetching every uncached one in one store round
   * trip. Ids missing from the result belong to erased subjects.
   */
  async deksByKeyId(keyIds: Iterable<string>): Promise<ReadonlyMap<string, SubjectDek>> {
    const found = new Map<string, SubjectDek>();
    const missing: string[] = [];
    for (const keyId of new Set(keyIds)) {
      const cached = this.#byKeyId.get(keyId);
      if (cached !== undefined) found.set(keyId, cached);
      else if (!this.#erased.has(keyId)) missing.push(keyId);
    }
    if (missing.length === 0) return found;
    const epoch = this.#epoch;
    const stored = await this.#store.getKeysById(missing);
    const unwrapped = await Promise.all([...stored.values()].map((record) => this.#unwrap(record)));
    for (const dek of unwrapped) {
      this.#remember(dek, epoch);
      found.set(dek.keyId, dek);
    }
    for (const keyId of missing) if (!stored.has(keyId)) this.#erased.set(keyId, true);
    return found;
  }

  /**
   * Erasure: deletes the subject's data key and drops it from this instance's cache. Other
   * processes drop theirs within the cache TTL. Returns whether the subject had a key.
   */
  async forget(subjectId: string): Promise<boolean> {
    this.#epoch += 1;
    const existed = await this.#store.deleteKey(subjectId);
    this.#epoch += 1;
    this.#keyIdBySubject.delete(subjectId);
    for (const [keyId, dek] of this.#byKeyId.entries()) {
      if (dek.subjectId === subjectId) {
        this.#byKeyId.delete(keyId);
        this.#erased.set(keyId, true);
      }
    }
    return existed;
  }

  /**
   * Compacts the key store so deleted keys leave no bytes in its pages (see `KeyStore.compact`);
   * complete at once for stores that keep nothing.
   */
  async compactDeletedKeys(options: KeyCompaction): Promise<KeyCompactionResult> {
    return this.#store.compact === undefined ? { complete: true } : this.#store.compact(options);
  }

  /**
   * Checks every KEK the provider holds (or only the current one, when it cannot list them)
   * against the check values stored for their ids, storing one for an id seen for the first time.
   * Stores call it when they open; wrapping and unwrapping call it too, once per KEK id.
   *
   * @throws `KekMismatchError` naming the first KEK id whose material differs from the stored one.
   */
  async verifyKeks(): Promise<void> {
    for (const kekId of this.#keks.kekIds?.() ?? [this.#keks.currentKekId()]) await this.#verify(kekId);
  }

  #verify(kekId: string): Promise<void> {
    let verified = this.#verified.get(kekId);
    if (verified === undefined) {
      verified = verifyKek(this.#store, this.#keks, kekId);
      verified.catch(() => this.#verified.delete(kekId));
      this.#verified.set(kekId, verified);
    }
    return verified;
  }

  /**
   * Re-wraps every data key with KEK `toKekId` (default: the provider's current KEK). Events are
   * not touched: data keys stay the same, only their wrapping changes. Resumable: keys already
   * wrapped by the target are skipped.
   */
  async rotateKek(options: KekRotationOptions = {}): Promise<KekRotationReport> {
    await this.verifyKeks();
    await this.#verify(options.toKekId ?? this.#keks.currentKekId());
    return rotateKek(this.#store, this.#keks, options);
  }

  async #create(subjectId: string): Promise<CachedDek> {
    const raw = randomBytes(AES_KEY_BYTES);
    const keyId = randomBytes(16).toString("base64url");
    const kekId = this.#keks.currentKekId();
    await this.#verify(kekId);
    try {
      const wrappedDek = await this.#keks.wrap(kekId, raw, dataKeyContext(keyId));
      const stored = await this.#store.createKey({ keyId, subjectId, kekId, wrappedDek });
      // Another writer created the subject's key first: use theirs, drop ours.
      return stored.keyId === keyId ? usableKey(keyId, subjectId, raw) : await this.#unwrap(stored);
    } finally {
      raw.fill(0);
    }
  }

  async #unwrap(stored: StoredSubjectKey): Promise<CachedDek> {
    await this.#verify(stored.kekId);
    let raw: Uint8Array;
    try {
      raw = await this.#keks.unwrap(stored.kekId, stored.wrappedDek, dataKeyContext(stored.keyId));
    } catch (cause) {
      if (isCryptoError(cause, "KEK_NOT_FOUND")) throw cause;
      throw new KeyUnwrapError(stored.kekId, stored.keyId, "the KEK provider refused to unwrap it (wrong KEK material, or the stored key was altered).", { cause });
    }
    if (raw.byteLength !== AES_KEY_BYTES) {
      throw new KeyUnwrapError(stored.kekId, stored.keyId, `the unwrapped key is ${raw.byteLength} bytes, not ${AES_KEY_BYTES}.`);
    }
    const dek = usableKey(stored.keyId, stored.subjectId, raw);
    raw.fill(0);
    return dek;
  }

  #remember(dek: CachedDek, epoch: number): void {
    if (epoch !== this.#epoch) return;
    this.#byKeyId.set(dek.keyId, dek);
    this.#keyIdBySubject.set(dek.subjectId, dek.keyId);
  }
}

/** The cached forms of a data key, each a copy of `raw` (which the caller zeroes). */
function usableKey(keyId: string, subjectId: string, raw: Uint8Array): CachedDek {
  const bytes = Buffer.alloc(AES_KEY_BYTES); // alloc, not allocUnsafe: never a slice of node's shared pool
  bytes.set(raw);
  return { keyId, subjectId, key: createSecretKey(raw), bytes };
}
