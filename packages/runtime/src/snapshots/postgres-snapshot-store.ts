/**
 * Snapshots in PostgreSQL (server or PGlite) through the storage seam, in `<schema>.snapshots`.
 *
 * Erasure and snapshot writes serialise on a per-subject advisory lock: a write takes it shared,
 * erasure exclusive, and a write checks the erased-subjects table only once it holds the lock.
 * So a state loaded before an erasure can never land in a snapshot after it.
 *
 * @module
 */
import { CompiledQuery } from "kysely";
import type { QueryRunner, Storage } from "../storage/storage.js";
import type { NewSnapshot, SnapshotSaveOutcome, SnapshotStore, StoredSnapshot } from "./snapshot-store.js";

/** A snapshot store in SQL; `ensureSchema` creates its tables when they are missing. */
export interface PostgresSnapshotStore extends SnapshotStore {
  /** Creates `<schema>.snapshots` and `<schema>.snapshot_erased_subjects` if missing. Idempotent. */
  ensureSchema(): Promise<void>;
}

/** Where a {@link PostgresSnapshotStore} keeps its tables. */
export interface PostgresSnapshotStoreOptions {
  /** The event store's storage, so PGlite's single connection is shared and serialised. */
  readonly storage: Pick<Storage, "execute" | "transaction">;
  /** The Postgres schema of the event store. Default `"strata"`. */
  readonly schema?: string;
}

interface SnapshotRow {
  readonly state_version: number;
  readonly stream_version: string | number | bigint;
  readonly data: Uint8Array;
  readonly subjects: readonly string[];
  readonly created_at: Date | string;
}

// Identifiers cannot be bind parameters; quote them the way Postgres does.
const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;
// Two-key advisory locks: the first key namespaces Strata's snapshot locks.
const LOCK_NAMESPACE = "hashtext('strata.snapshot-subject')";

function toBuffer(bytes: Uint8Array): Uint8Array {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Creates a snapshot store on the event store's database. Call `ensureSchema()` once at start-up. */
export function createPostgresSnapshotStore(options: PostgresSnapshotStoreOptions): PostgresSnapshotStore {
  const { storage } = options;
  const schema = quote(options.schema ?? "strata");
  const snapshots = `${schema}.snapshots`;
  const erased = `${schema}.snapshot_erased_subjects`;
  const run = <R>(runner: QueryRunner, text: string, params: readonly unknown[] = []) =>
    runner.execute<R>(CompiledQuery.raw(text, [...params]));

  return {
    async ensureSchema() {
      await storage.transaction(async (tx) => {
        // Serialises concurrent start-ups: CREATE ... IF NOT EXISTS alone can race on the catalog.
        await run(tx, `SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext($1))`, [`ddl:${options.schema ?? "strata"}`]);
        await run(tx, `CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await run(
          tx,
          `CREATE TABLE IF NOT EXISTS ${snapshots} (
            stream_id text COLLATE "C" NOT NULL,
            aggregate text NOT NULL,
            state_version integer NOT NULL,
            stream_version bigint NOT NULL,
            data bytea NOT NULL,
            subjects text[] NOT NULL DEFAULT '{}',
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (stream_id, aggregate, stream_version)
          )`,
        );
        await run(tx, `CREATE INDEX IF NOT EXISTS snapshots_subjects_idx ON ${snapshots} USING gin (subjects)`);
        await run(
          tx,
          `CREATE TABLE IF NOT EXISTS ${erased} (subject_id text NOT NULL PRIMARY KEY, erased_at timestamptz NOT NULL DEFAULT now())`,
        );
      });
    },

    async findLatest({ streamId, aggregate, maxStreamVersion }): Promise<StoredSnapshot | undefined> {
      const bounded = maxStreamVersion !== undefined;
      const result = await run<SnapshotRow>(
        storage,
        `SELECT state_version, stream_version, data, subjects, created_at FROM ${snapshots}
         WHERE stream_id = $1 AND aggregate = $2 ${bounded ? "AND stream_version <= $3" : ""}
         ORDER BY stream_version DESC LIMIT 1`,
        bounded ? [streamId, aggregate, maxStreamVersion] : [streamId, aggregate],
      );
      const row = result.rows[0];
      if (row === undefined) return undefined;
      return {
        streamId,
        aggregate,
        stateVersion: Number(row.state_version),
        streamVersion: Number(row.stream_version),
        data: new Uint8Array(row.data),
        subjects: row.subjects,
        createdAt: new Date(row.created_at),
      };
    },

    async save(snapshot: NewSnapshot): Promise<SnapshotSaveOutcome> {
      const subjects = [...snapshot.subjects];
      return storage.transaction(async (tx) => {
        if (subjects.length > 0) {
          await run(tx, `SELECT pg_advisory_xact_lock_shared(${LOCK_NAMESPACE}, hashtext(s)) FROM unnest($1::text[]) AS s`, [subjects]);
        }
        const inserted = await run(
          tx,
          `INSERT INTO ${snapshots} (stream_id, aggregate, state_version, stream_version, data, subjects)
           SELECT $1, $2, $3, $4, $5, $6::text[]
           WHERE NOT EXISTS (SELECT 1 FROM ${erased} WHERE subject_id = ANY($6::text[]))
           ON CONFLICT (stream_id, aggregate, stream_version) DO UPDATE
             SET state_version = excluded.state_version, data = excluded.data, subjects = excluded.subjects, created_at = now()`,
          [snapshot.streamId, snapshot.aggregate, snapshot.stateVersion, snapshot.streamVersion, toBuffer(snapshot.data), subjects],
        );
        return Number(inserted.numAffectedRows ?? 0n) > 0 ? "saved" : "refused";
      });
    },

    async deleteForSubject(subjectId: string): Promise<number> {
      return storage.transaction(async (tx) => {
        await run(tx, `SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext($1))`, [subjectId]);
        await run(tx, `INSERT INTO ${erased} (subject_id) VALUES ($1) ON CONFLICT DO NOTHING`, [subjectId]);
        const deleted = await run(tx, `DELETE FROM ${snapshots} WHERE subjects @> ARRAY[$1::text]`, [subjectId]);
        return Number(deleted.numAffectedRows ?? 0n);
      });
    },
  };
}
