/**
 * Where wrapped data keys live: one row per data subject.
 *
 * A PostgreSQL implementation is a table in the event store's database, for example
 * ```sql
 * create table strata.subject_keys (
 *   key_id      text collate "C" primary key, -- random id, the `k` of every envelope; "C" so
 *                                             -- listKeys pages in the same order as here
 *   subject_id  text not null unique,        -- the data subject's id as the events carry it
 *   kek_id      text not null,
 *   wrapped_dek bytea not null,
 *   created_at  timestamptz not null default now()
 * );
 * ```
 * with `createKey` as `insert … on conflict (subject_id) do nothing returning *` followed by a
 * select when nothing came back, `deleteKey` as a `delete … where subject_id = $1`, and
 * `replaceWrapping` as an `update … where key_id = $1 and kek_id = $expected`. Erasure is the
 * delete: the row is gone, and with it the only copy of the data key (backups aside, see
 * docs/crypto-shredding.md).
 */

/** A data subject's key as stored: wrapped, never in clear. */
export interface StoredSubjectKey {
  /** Random id of this data key; envelopes name it, so reads need no schema and no subject id. */
  readonly keyId: string;
  readonly subjectId: string;
  /** The KEK that wrapped `wrappedDek`. */
  readonly kekId: string;
  readonly wrappedDek: Uint8Array;
  readonly createdAt: Date;
}

/** A key to create; the store sets `createdAt`. */
export type NewSubjectKey = Omit<StoredSubjectKey, "createdAt">;

/** One page of keys, in ascending `keyId` order. */
export interface KeyPage {
  /** Return keys whose id sorts after this one; omit for the first page. */
  readonly afterKeyId?: string;
  readonly limit: number;
}

/** Storage of wrapped data keys and of each KEK's check value. Implementations: `InMemoryKeyStore`, `createPostgresKeyStore`. */
export interface KeyStore {
  /** The subject's key, or `undefined` when it never had one or was erased. */
  getKeyBySubject(subjectId: string): Promise<StoredSubjectKey | undefined>;
  /** Keys by id, in one round trip; ids without a key (erased) are absent from the result. */
  getKeysById(keyIds: readonly string[]): Promise<ReadonlyMap<string, StoredSubjectKey>>;
  /**
   * Stores a subject's first key. Race-safe: when the subject already has a key (another writer
   * won), stores nothing and returns the existing key, so every writer ends up using one key.
   *
   * Must be durable when it returns (its own transaction, not the event append's): callers cache
   * the key at once, and an envelope written with a key whose row was rolled back is unreadable.
   */
  createKey(key: NewSubjectKey): Promise<StoredSubjectKey>;
  /** Erasure: deletes the subject's key. Returns whether there was one. */
  deleteKey(subjectId: string): Promise<boolean>;
  /** Pages through every key in ascending `keyId` order, for KEK rotation. */
  listKeys(page: KeyPage): Promise<readonly StoredSubjectKey[]>;
  /**
   * Replaces a key's wrapping (same data key, new KEK) only while it is still wrapped by
   * `expectedKekId`. Returns `false` when the key is gone (erased meanwhile) or was re-wrapped
   * by someone else, so a concurrent rotation or erasure is never overwritten.
   */
  replaceWrapping(keyId: string, wrappedDek: Uint8Array, kekId: string, expectedKekId: string): Promise<boolean>;
  /** Any one key wrapped by `kekId`, or `undefined`: a trial unwrap before a KEK's first check value is stored. */
  findKeyWrappedBy(kekId: string): Promise<StoredSubjectKey | undefined>;
  /** The stored check value of KEK `kekId` (see `kek-check.ts`), or `undefined` before its first use. */
  getKekCheck(kekId: string): Promise<Uint8Array | undefined>;
  /** Stores `check` for `kekId` unless one is stored already; returns the stored one (the first writer wins). */
  putKekCheck(kekId: string, check: Uint8Array): Promise<Uint8Array>;
  /**
   * Removes what deleted keys leave behind in storage (a PostgreSQL table keeps a deleted row's
   * bytes in its pages until compacted). Optional: stores that leave nothing need not implement it.
   */
  compact?(options: KeyCompaction): Promise<KeyCompactionResult>;
}

/** What {@link KeyStore.compact} must cover. */
export interface KeyCompaction {
  /**
   * A transaction id (xid8, as text) taken after the keys were deleted: they must leave no
   * remnant, so the compaction is complete only once no transaction older than it is left.
   */
  readonly horizon: string;
}

/** What a compaction achieved. */
export interface KeyCompactionResult {
  /** Whether no page holds a key deleted before `horizon` any more. */
  readonly complete: boolean;
  /** Why not, when not (no personal data). */
  readonly detail?: string;
}
