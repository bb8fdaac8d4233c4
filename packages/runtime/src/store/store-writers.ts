/**
 * The store's own read horizon: which in-flight transactions may still add events below a
 * reader's position. See read-all.ts for the proof that readers lose and reorder nothing.
 *
 * Every append registers its transaction before the transaction has an id: the append
 * statement's first step takes a transaction-level *shared* advisory lock on the store's key
 * (appends never wait on each other for it; it is released at commit or rollback). A reader
 * computes its horizon from its snapshot and `pg_locks`: the oldest transaction in the snapshot's
 * in-flight list that holds the store's lock, or that has ended since the snapshot (it may have
 * been a writer whose rows this snapshot cannot see). Transactions of other databases, on
 * unrelated tables, or of other stores never register, so they no longer hold readers back;
 * read-only transactions have no transaction id and never did.
 *
 * @module
 */
/** First half of every store's advisory-lock key: "STRA". Chosen to stay clear of small keys applications use. */
const STRATA_LOCK_CLASS = 0x53545241;

/**
 * The second half: a 31-bit FNV-1a hash of the schema name, so each store (schema) has its own
 * writers. Two schemas that collide only make their readers wait on each other's writers too.
 */
export function storeLockKey(schema: string): readonly [number, number] {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(schema, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return [STRATA_LOCK_CLASS, hash & 0x7fffffff];
}

/** The CTE an append statement starts with: registers the transaction as a writer of `schema`'s events. */
export function registerWriterSql(schema: string): string {
  const [classKey, storeKey] = storeLockKey(schema);
  return `SELECT pg_advisory_xact_lock_shared(${classKey}, ${storeKey}) AS registered`;
}

/**
 * An expression for the horizon of the current snapshot: every event with a transaction id below
 * it is final (committed and visible, or never to exist). `pg_locks` reports 32-bit xids; an
 * in-flight xid8 is matched on its low 32 bits (in-flight ids are less than 2^31 apart).
 */
export function horizonSql(schema: string): string {
  const [classKey, storeKey] = storeLockKey(schema);
  return `(SELECT COALESCE(
      (SELECT x FROM pg_snapshot_xip(s.snap) AS x
        WHERE (x::text::bigint % 4294967296) IN (
            SELECT t.transactionid::text::bigint FROM pg_locks a
            JOIN pg_locks t ON t.virtualtransaction = a.virtualtransaction AND t.locktype = 'transactionid'
            WHERE a.locktype = 'advisory' AND a.classid = ${classKey}::oid AND a.objid = ${storeKey}::oid AND a.objsubid = 2
              AND a.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
          OR pg_xact_status(x) IS DISTINCT FROM 'in progress'
        ORDER BY x LIMIT 1),
      pg_snapshot_xmax(s.snap))
    FROM (SELECT pg_current_snapshot() AS snap) s)`;
}
