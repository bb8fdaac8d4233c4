/**
 * A snapshot store in memory: a test double, and a cache for single-process tools.
 *
 * @module
 */
import type { NewSnapshot, SnapshotSaveOutcome, SnapshotStore, StoredSnapshot } from "./snapshot-store.js";

/** The in-memory store, with its snapshots exposed for tests. */
export interface InMemorySnapshotStore extends SnapshotStore {
  /** Every stored snapshot, oldest version first per stream. */
  all(): readonly StoredSnapshot[];
}

/** Creates an empty in-memory snapshot store. */
export function createInMemorySnapshotStore(): InMemorySnapshotStore {
  const byKey = new Map<string, StoredSnapshot>();
  const erasedSubjects = new Set<string>();
  const keyOf = (s: { streamId: string; aggregate: string; streamVersion: number }) => JSON.stringify([s.streamId, s.aggregate, s.streamVersion]);

  return {
    findLatest({ streamId, aggregate, maxStreamVersion }) {
      let best: StoredSnapshot | undefined;
      for (const snapshot of byKey.values()) {
        if (snapshot.streamId !== streamId || snapshot.aggregate !== aggregate) continue;
        if (maxStreamVersion !== undefined && snapshot.streamVersion > maxStreamVersion) continue;
        if (best === undefined || snapshot.streamVersion > best.streamVersion) best = snapshot;
      }
      return Promise.resolve(best);
    },
    save(snapshot: NewSnapshot): Promise<SnapshotSaveOutcome> {
      if (snapshot.subjects.some((subject) => erasedSubjects.has(subject))) return Promise.resolve("refused");
      byKey.set(keyOf(snapshot), { ...snapshot, data: snapshot.data.slice(), subjects: [...snapshot.subjects], createdAt: new Date() });
      return Promise.resolve("saved");
    },
    deleteForSubject(subjectId) {
      erasedSubjects.add(subjectId);
      let deleted = 0;
      for (const [key, snapshot] of byKey) {
        if (snapshot.subjects.includes(subjectId)) {
          byKey.delete(key);
          deleted += 1;
        }
      }
      return Promise.resolve(deleted);
    },
    all: () => [...byKey.values()].sort((a, b) => a.streamId.localeCompare(b.streamId) || a.streamVersion - b.streamVersion),
  };
}
