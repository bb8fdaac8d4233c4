/**
 * The contract of a snapshot store. Snapshots are a cache of aggregate states: losing every one
 * of them costs replay time, never correctness.
 *
 * @module
 */

/** One stored snapshot. */
export interface StoredSnapshot {
  readonly streamId: string;
  /** The decider's `name`. */
  readonly aggregate: string;
  /** The decider's `stateVersion` when the snapshot was taken. */
  readonly stateVersion: number;
  /** The stream version the state includes (every event up to and including it). */
  readonly streamVersion: number;
  /** The encoded state (see `encodeSnapshotState`). */
  readonly data: Uint8Array;
  /** Data subjects whose personal data the state holds. */
  readonly subjects: readonly string[];
  readonly createdAt: Date;
}

/** A snapshot to write. */
export type NewSnapshot = Omit<StoredSnapshot, "createdAt">;

/**
 * What a save did: `"saved"`, or `"refused"` when one of the snapshot's subjects was erased (a
 * state loaded before the erasure must not bring the personal data back).
 */
export type SnapshotSaveOutcome = "saved" | "refused";

/** Stores and finds snapshots. Implementations: `createPostgresSnapshotStore`, `createInMemorySnapshotStore`. */
export interface SnapshotStore {
  /** The newest snapshot of `streamId` for `aggregate` whose stream version is at most `maxStreamVersion`. */
  findLatest(query: {
    readonly streamId: string;
    readonly aggregate: string;
    readonly maxStreamVersion?: number;
  }): Promise<StoredSnapshot | undefined>;
  /** Writes a snapshot; writing the same (stream, aggregate, version) twice keeps the newer one. */
  save(snapshot: NewSnapshot): Promise<SnapshotSaveOutcome>;
  /**
   * Erasure: deletes every snapshot that holds `subjectId`'s data and refuses future snapshots
   * that would hold it. Returns how many snapshots were deleted.
   */
  deleteForSubject(subjectId: string): Promise<number>;
}
