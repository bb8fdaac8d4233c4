/**
 * Wrapped data keys in PostgreSQL (server or PGlite), in `<schema>.subject_keys` of the event
 * store's own database (created by migration `0003-personal-data`).
 *
 * Every method is one autocommitted statement on the storage, never part of an append's
 * transaction: `createKey` is durable when it returns, as {@link KeyStore} requires.
 *
 * @module
 */
import { CompiledQuery } from "kysely";
import type { QueryRunner } from "../storage/storage.js";
import type { KeyPage, KeyStore, NewSubjectKey, StoredSubjectKey } from "./key-store.js";

/** Where a {@link createPostgresKeyStore} keeps its keys. */
export interface PostgresKeyStoreOptions {
  /** The event store's storage (or any runner on the same database); not a transaction. */
  readonly storage: QueryRunner;
  /** The event store's Postgres schema. Default `"strata"`. */
  readonly schema?: string;
}

interface KeyRow {
  readonly key_id: string;
  readonly subject_id: string;
  readonly kek_id: string;
  readonly wrapped_dek: Uint8Array;
  readonly created_at: Date | string;
}

const COLUMNS = "key_id, subject_id, kek_id, wrapped_dek, created_at";
const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

function toKey(row: KeyRow): StoredSubjectKey {
  return {
    keyId: row.key_id,
    subjectId: row.subject_id,
    kekId: row.kek_id,
    wrappedDek: new Uint8Array(row.wrapped_dek),
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
  };
}

/** What holds a deleted row version alive: older snapshots and transactions, and sessions this role cannot see. */
interface HorizonBlockers {
  readonly older: number;
  readonly hidden: number;
}

/**
 * Counts what could still see a row deleted before the transaction id `$1` (xid8 as text), the
 * way VACUUM computes its horizon for a table: sessions of this database (and WAL senders, whose
 * standby feedback holds every database) whose snapshot or transaction precedes it, prepared
 * transactions and replication slots that do; and the sessions of this database whose state
 * this role is not allowed to see. `age()` orders 32-bit transaction ids the way the server does.
 */
const HORIZON_BLOCKERS = `
  WITH horizon AS (SELECT age($1::xid8::xid) AS age)
  SELECT
    (SELECT count(*)::int FROM pg_stat_activity, horizon
       WHERE pid <> pg_backend_pid() AND (datname = current_database() OR backend_type = 'walsender')
         AND (age(backend_xmin) > horizon.age OR age(backend_xid) > horizon.age))
    + (SELECT count(*)::int FROM pg_prepared_xacts, horizon WHERE database = current_database() AND age(transaction) > horizon.age)
    + (SELECT count(*)::int FROM pg_replication_slots, horizon WHERE age(xmin) > horizon.age)
      AS older,
    (SELECT count(*)::int FROM pg_stat_activity
       WHERE pid <> pg_backend_pid() AND datname = current_database() AND query = '<insufficient privilege>') AS hidden`;

/**
 * A {@link KeyStore} on the event store's database. Erasure is a `DELETE` of the subject's row,
 * then `compact` (`VACUUM FULL` of the key table) so no page keeps the deleted wrapped key.
 *
 * @example
 * ```ts
 * const keys = new SubjectKeys({ store: createPostgresKeyStore({ storage, schema: "strata" }), keks: LocalKekProvider.fromEnv() });
 * ```
 */
export function createPostgresKeyStore(options: PostgresKeyStoreOptions): KeyStore {
  const { storage } = options;
  const table = `${quote(options.schema ?? "strata")}.subject_keys`;
  const checks = `${quote(options.schema ?? "strata")}.kek_checks`;
  const rows = async (text: string, parameters: readonly unknown[]): Promise<readonly KeyRow[]> =>
    (await storage.execute<KeyRow>(CompiledQuery.raw(text, [...parameters]))).rows;

  const bySubject = async (subjectId: string): Promise<StoredSubjectKey | undefined> => {
    const [row] = await rows(`SELECT ${COLUMNS} FROM ${table} WHERE subject_id = $1`, [subjectId]);
    return row === undefined ? undefined : toKey(row);
  };

  const createKey = async (key: NewSubjectKey): Promise<StoredSubjectKey> => {
    const [inserted] = await rows(
      `INSERT INTO ${table} (key_id, subject_id, kek_id, wrapped_dek) VALUES ($1, $2, $3, $4)
       ON CONFLICT (subject_id) DO NOTHING RETURNING ${COLUMNS}`,
      [key.keyId, key.subjectId, key.kekId, Buffer.from(key.wrappedDek)],
    );
    if (inserted !== undefined) return toKey(inserted);
    // Another writer won the race; its row is committed (the conflict waited for it).
    const existing = await bySubject(key.subjectId);
    // Unless it was erased in between: try again, the subject gets a fresh key.
    return existing ?? createKey(key);
  };

  const getKekCheck = async (kekId: string): Promise<Uint8Array | undefined> => {
    const [row] = (await storage.execute<{ check_value: Uint8Array }>(CompiledQuery.raw(`SELECT check_value FROM ${checks} WHERE kek_id = $1`, [kekId]))).rows;
    return row === undefined ? undefined : new Uint8Array(row.check_value);
  };

  const putKekCheck = async (kekId: string, check: Uint8Array): Promise<Uint8Array> => {
    const text = `WITH inserted AS (INSERT INTO ${checks} (kek_id, check_value) VALUES ($1, $2) ON CONFLICT (kek_id) DO NOTHING RETURNING check_value)
      SELECT check_value FROM inserted UNION ALL SELECT check_value FROM ${checks} WHERE kek_id = $1`;
    const [row] = (await storage.execute<{ check_value: Uint8Array }>(CompiledQuery.raw(text, [kekId, Buffer.from(check)]))).rows;
    // A concurrent insert that won the conflict is not in this statement's snapshot: read it now.
    if (row === undefined) return (await getKekCheck(kekId)) ?? putKekCheck(kekId, check);
    return new Uint8Array(row.check_value);
  };

  return {
    getKeyBySubject: bySubject,
    async getKeysById(keyIds) {
      const found = new Map<string, StoredSubjectKey>();
      if (keyIds.length === 0) return found;
      for (const row of await rows(`SELECT ${COLUMNS} FROM ${table} WHERE key_id = ANY($1::text[])`, [[...keyIds]])) found.set(row.key_id, toKey(row));
      return found;
    },
    createKey,
    async deleteKey(subjectId) {
      return (await rows(`DELETE FROM ${table} WHERE subject_id = $1 RETURNING key_id`, [subjectId])).length > 0;
    },
    async listKeys(page: KeyPage) {
      const found =
        page.afterKeyId === undefined
          ? await rows(`SELECT ${COLUMNS} FROM ${table} ORDER BY key_id LIMIT $1`, [page.limit])
          : await rows(`SELECT ${COLUMNS} FROM ${table} WHERE key_id > $1 ORDER BY key_id LIMIT $2`, [page.afterKeyId, page.limit]);
      return found.map(toKey);
    },
    async replaceWrapping(keyId, wrappedDek, kekId, expectedKekId) {
      const updated = await rows(`UPDATE ${table} SET wrapped_dek = $2, kek_id = $3 WHERE key_id = $1 AND kek_id = $4 RETURNING key_id`, [
        keyId,
        Buffer.from(wrappedDek),
        kekId,
        expectedKekId,
      ]);
      return updated.length > 0;
    },
    async findKeyWrappedBy(kekId) {
      const [row] = await rows(`SELECT ${COLUMNS} FROM ${table} WHERE kek_id = $1 LIMIT 1`, [kekId]);
      return row === undefined ? undefined : toKey(row);
    },
    getKekCheck,
    putKekCheck,
    async compact({ horizon }) {
      // A deleted row's bytes stay in the heap page (and an UPDATE that zeroed it first would only
      // add a second version: MVCC keeps the first until vacuumed). VACUUM FULL writes the table,
      // its TOAST table and indexes to new files and drops the old ones. It keeps every row version
      // a snapshot older than the delete may still see: then the compaction is not complete.
      const [blocking] = (await storage.execute<HorizonBlockers>(CompiledQuery.raw(HORIZON_BLOCKERS, [horizon]))).rows;
      const older = blocking?.older ?? 0;
      const hidden = blocking?.hidden ?? 0;
      // While such a transaction is open the rewrite could not drop the key's row version, and it
      // would hold an ACCESS EXCLUSIVE lock on the key table (every uncached key lookup waits)
      // for nothing: compact only once nothing older is left.
      if (older > 0) return { complete: false, detail: `${older} transaction(s) older than the erasure may still see the deleted key; compaction runs again` };
      // A session of another role whose snapshot this role may not see could be older: never claim
      // completion on a guess (grant the role pg_read_all_stats, see docs/crypto-shredding.md).
      if (hidden > 0) return { complete: false, detail: `${hidden} session(s) of other roles are not visible to this role (grant it pg_read_all_stats); compaction runs again` };
      await storage.execute(CompiledQuery.raw(`VACUUM FULL ${table}`, []));
      return { complete: true };
    },
  };
}
