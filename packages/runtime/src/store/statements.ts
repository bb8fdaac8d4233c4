/**
 * The store's SQL, built once per store for its schema. Every hot statement is a single
 * parameterised statement with a fixed parameter count (batches travel as arrays), so an
 * append or a page read is one round trip whatever the batch size.
 */
import { preparable } from "../storage/prepared-statements.js";
import { horizonSql, registerWriterSql } from "./store-writers.js";

/** How an append's stream step treats the stream row. */
export type StreamStep = "create-or-extend" | "create" | "extend" | "extend-at";

// recorded_at travels as epoch milliseconds: a float parses far faster than a timestamp string,
// and appends store it truncated to milliseconds so a JS Date holds it exactly. date_part is
// float8 arithmetic (extract() is numeric since PostgreSQL 14, several times the server CPU per
// row); round() removes the float's last-bit error, exact because the value is whole milliseconds.
// readStream reads its array rows by these positions (event-rows.ts, arrayRowToRecordedEvent).
const EVENT_COLUMNS = `event_id, version, global_position, transaction_id, type, schema_version, data, metadata,
  round(date_part('epoch', recorded_at) * 1000) AS recorded_at_ms`;

/**
 * A subquery yielding the stored event (all columns of `events`) with the id `idExpression`, or no
 * row: a probe of `event_ids` by its primary key, then of `events` by `(stream_id, version)`
 * (and the position, which prunes a table partitioned by it). Kept a subquery by `OFFSET 0`, so
 * that used in a `LATERAL` join it is index lookups per id whatever the statistics say; there is
 * no index on `events.event_id` (migration 0008-event-id-lookup).
 */
export function eventByIdSql(schema: string, idExpression: string): string {
  const events = `${quoteIdentifier(schema)}.events`;
  const eventIds = `${quoteIdentifier(schema)}.event_ids`;
  return `SELECT ev.* FROM ${eventIds} k JOIN ${events} ev
    ON ev.stream_id = k.stream_id AND ev.version = k.version AND ev.global_position = k.global_position
    WHERE k.event_id = ${idExpression} OFFSET 0`;
}

/** Quotes a Postgres identifier. */
export function quoteIdentifier(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** SQL texts for one schema. */
export interface Statements {
  /** `ownTransaction`: the statement is its own (autocommit) transaction; see the loser's commit in `buildStatements`. */
  append(step: StreamStep, checkIds: boolean, ownTransaction?: boolean): string;
  readonly findEventIds: string;
  readonly streamState: string;
  readonly readForward: string;
  readonly readBackward: string;
  readonly readAll: string;
  readonly readEventsById: string;
  readonly listStreams: string;
  deleteStream(step: StreamStep): string;
  /**
   * Whether a readAll horizon one read computed holds for every later read through these
   * statements: true on a primary (one server); false for statements shared by standbys, which
   * each replay the primary's WAL at their own pace (see read-all.ts, point 4).
   */
  readonly reusableHorizon: boolean;
}

/** Builds the statements for `schema`. */
export function buildStatements(schema: string): Statements {
  const streams = `${quoteIdentifier(schema)}.streams`;
  const events = `${quoteIdentifier(schema)}.events`;
  // Event ids are unique across the store through their own table (see migration 0005-store-hardening).
  const eventIds = `${quoteIdentifier(schema)}.event_ids`;
  // Only statements run inside a transaction probe for stored ids (see appendBatch for why the
  // others let the primary key of event_ids refuse them instead).
  // One index probe per id, whatever the statistics say: written as `event_id = ANY($3)`, a table
  // without statistics yet (new, or just bulk-loaded) got a sequential scan per append, O(table).
  const noKnownId = `NOT EXISTS (SELECT 1 FROM unnest($3::uuid[]) AS known(id)
    CROSS JOIN LATERAL (SELECT 1 FROM ${eventIds} WHERE event_id = known.id LIMIT 1) AS hit)`;
  const byId = (id: string): string => eventByIdSql(schema, id);
  // The stream step reads FROM registration, so the lock is held before the statement's first
  // write gives the transaction its id: no reader can see the id in flight and unregistered.
  const registerWriter = registerWriterSql(schema);
  const returning = `RETURNING st.version - $2::bigint AS base, date_trunc('milliseconds', clock_timestamp()) AS at`;

  // $1 stream id, $2 event count, $3 ids, $4 types, $5 schema versions, $6 data (a JSON array),
  // $7 metadata (a JSON array, or NULL when no event has any), $8 expected version (extend-at).
  const streamStep = (step: StreamStep, checkIds: boolean): string => {
    const guard = checkIds ? ` AND ${noKnownId}` : "";
    switch (step) {
      case "create-or-extend":
      case "create": {
        const onConflict =
          step === "create"
            ? "DO NOTHING"
            : "DO UPDATE SET version = st.version + excluded.version WHERE st.deleted_at IS NULL";
        return `INSERT INTO ${streams} AS st (stream_id, version) SELECT $1::text, $2::bigint FROM registration${checkIds ? ` WHERE ${noKnownId}` : ""}
          ON CONFLICT (stream_id) ${onConflict} ${returning}`;
      }
      case "extend":
      case "extend-at":
        return `UPDATE ${streams} AS st SET version = st.version + $2::bigint FROM registration
          WHERE st.stream_id = $1::text AND st.deleted_at IS NULL${step === "extend-at" ? " AND st.version = $8::bigint" : ""}${guard} ${returning}`;
    }
  };

  // An append whose stream step wrote nothing returns one row instead of none: base NULL, and the
  // stream's state in the statement's snapshot (version, tombstone, whether one of the caller's
  // ids is stored). Read in the same snapshot as the step, it proves a conflict by itself when the
  // version there does not satisfy the expectation: no second round trip (W5: about half of the
  // losers). When it does satisfy it, the step waited for a concurrent writer and its recheck saw
  // a newer version this snapshot cannot see, so the caller asks again (append-diagnosis.ts).
  //
  // Postgres's recheck of an UPDATE (or ON CONFLICT DO UPDATE) also locks the row's newest
  // version, which gives the transaction an id, so its commit waited for a WAL flush while still
  // holding that lock, and every writer of the stream queued behind each loser's flush (W5:
  // Lock:tuple was half the backends' time). With nothing to make durable, that commit need not
  // wait: only when the statement is its own transaction, and only when the stream step returned
  // no row (a CASE, so an append that wrote events never evaluates it), commit asynchronously.
  // The ids are probed here whether or not the step probed them (a statement may leave a stored id
  // to event_ids' primary key), so seen_ids never calls a retry a conflict; only losers pay for it.
  const emptyStep = (ownTransaction: boolean): string => `
    UNION ALL SELECT NULL, NULL, NULL, NULL, seen.version, seen.deleted_at IS NOT NULL, NOT ${noKnownId}
    FROM (SELECT 1) one LEFT JOIN ${streams} seen ON seen.stream_id = $1::text
    WHERE ${ownTransaction ? "CASE WHEN EXISTS (SELECT FROM stream) THEN false ELSE set_config('synchronous_commit', 'off', true) IS NOT NULL END" : "NOT EXISTS (SELECT FROM stream)"}`;
  const appendText = (step: StreamStep, checkIds: boolean, ownTransaction: boolean): string => `
    WITH registration AS MATERIALIZED (${registerWriter}),
    stream AS (${streamStep(step, checkIds)}),
    appended AS (
      INSERT INTO ${events} (stream_id, version, event_id, type, schema_version, data, metadata, recorded_at)
      SELECT $1::text, stream.base + e.ord, e.id, e.type, e.schema_version, e.data, NULLIF(e.metadata, 'null'::jsonb), stream.at
      FROM stream, ROWS FROM (unnest($3::uuid[]), unnest($4::text[]), unnest($5::int[]),
        jsonb_array_elements($6::jsonb), jsonb_array_elements($7::jsonb))
        WITH ORDINALITY AS e(id, type, schema_version, data, metadata, ord)
      ORDER BY e.ord
      RETURNING event_id, version, global_position
    ),
    -- A concurrent append of one of these ids (any stream) makes this insert wait for it, then
    -- fail with a unique violation on event_ids_pkey: the caller replays or reports the duplicate.
    -- Version and position say where the event is: lookups by id reach events by its primary key.
    ids AS (INSERT INTO ${eventIds} (event_id, stream_id, version, global_position) SELECT event_id, $1::text, version, global_position FROM appended)
    SELECT stream.base, (extract(epoch FROM stream.at) * 1000)::float8 AS at_ms, pg_current_xact_id()::text AS transaction_id,
      (SELECT array_agg(global_position ORDER BY global_position) FROM appended) AS positions,
      NULL::bigint AS seen_version, NULL::boolean AS seen_deleted, NULL::boolean AS seen_ids
    FROM stream${emptyStep(ownTransaction)}`;
  const appendCache = new Map<string, string>();

  const deleteText = (step: StreamStep): string => {
    switch (step) {
      case "create-or-extend":
      case "create":
        return `INSERT INTO ${streams} AS st (stream_id, version, deleted_at) VALUES ($1::text, 0, now())
          ON CONFLICT (stream_id) ${step === "create" ? "DO NOTHING" : "DO UPDATE SET deleted_at = now() WHERE st.deleted_at IS NULL"}
          RETURNING st.version`;
      case "extend":
      case "extend-at":
        return `UPDATE ${streams} AS st SET deleted_at = now()
          WHERE st.stream_id = $1::text AND st.deleted_at IS NULL${step === "extend-at" ? " AND st.version = $2::bigint" : ""}
          RETURNING st.version`;
    }
  };

  // The tombstone comes once per page, not as a column of every row: a deleted stream's page is
  // one row of NULLs (event_id NULL), from the second branch; any other page holds only events,
  // an empty one included, so an empty read needs no second round trip to learn the stream's state.
  // Both checks are uncorrelated (evaluated once: a one-time filter on the page's scan); the index
  // scan delivers rows in order, so there is no sort.
  // The stream and the bounds are hidden from the planner in subqueries (InitPlans, still index
  // conditions): the first executions of a prepared statement get custom plans, and with the
  // values visible the planner costed a bitmap heap scan plus a sort of the whole page (about 4×
  // the server time of the index scan, on a long stream read in pages) for the later pages.
  const deletedStream = `SELECT FROM ${streams} WHERE stream_id = $1::text AND deleted_at IS NOT NULL`;
  const readStreamText = (direction: "forward" | "backward"): string => `
    (SELECT ${EVENT_COLUMNS}
    FROM ${events}
    WHERE stream_id = (SELECT $1::text) AND version >= (SELECT $2::bigint) AND version <= (SELECT $3::bigint)
      AND ($4::timestamptz IS NULL OR recorded_at <= $4::timestamptz) AND NOT EXISTS (${deletedStream})
    ORDER BY version ${direction === "forward" ? "ASC" : "DESC"} LIMIT $5::int)
    UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE EXISTS (${deletedStream})`;

  return {
    append(step, checkIds, ownTransaction = false) {
      const key = `${step}:${checkIds}:${ownTransaction}`;
      let text = appendCache.get(key);
      if (text === undefined) {
        text = preparable(appendText(step, checkIds, ownTransaction));
        appendCache.set(key, text);
      }
      return text;
    },
    // $1 ids, $2 types, $3 data (JSON array), $4 stream id: the stream's state, and which of these
    // ids are stored, where, and with the same content, in one snapshot and one round trip (an
    // append that wrote nothing needs both). Always at least one row: the ids' columns are NULL
    // when none is stored. The lateral probe (kept a subquery by OFFSET 0) is an index lookup per
    // id even without statistics (see eventByIdSql); through event_ids it knows the stream, version
    // and position, so events is probed by its primary key, in one partition when partitioned.
    findEventIds: preparable(`
      SELECT s.stream_version, s.stream_deleted, k.* FROM (SELECT st.version AS stream_version, st.deleted_at IS NOT NULL AS stream_deleted
        FROM (SELECT 1) one LEFT JOIN ${streams} st ON st.stream_id = $4::text) s
      LEFT JOIN LATERAL (
        SELECT e.event_id, e.stream_id, e.version, e.global_position, e.transaction_id::text AS transaction_id,
          e.schema_version, e.metadata, (extract(epoch FROM e.recorded_at) * 1000)::float8 AS recorded_at_ms, (e.type = i.type AND e.data = i.data) AS same_content, i.ord
        FROM ROWS FROM (unnest($1::uuid[]), unnest($2::text[]), jsonb_array_elements($3::jsonb)) WITH ORDINALITY AS i(id, type, data, ord)
        CROSS JOIN LATERAL (${byId("i.id")}) e
      ) k ON true
      ORDER BY k.ord`),
    streamState: preparable(`SELECT version, deleted_at IS NOT NULL AS deleted FROM ${streams} WHERE stream_id = $1::text`),
    readForward: preparable(readStreamText("forward")),
    readBackward: preparable(readStreamText("backward")),
    // $1/$2 the checkpoint (transaction id, position), $3 page size, $4 types or NULL, $5 LIKE pattern or NULL,
    // $6 a horizon known from an earlier read, or NULL to compute it (COALESCE evaluates the
    // horizon's subquery only when $6 is NULL: no snapshot or pg_locks work for a known one).
    // No outer ORDER BY: the nested loop over the one horizon row returns the lateral page in its
    // index order, and an outer one sorted the whole page (wide rows) again on every read.
    // readAll checks the order of what arrives and sorts only if it ever does not hold.
    // The horizon's text is made once, in h (OFFSET 0 keeps the planner from pulling the cast up
    // into the per-row target list), not once per row.
    readAll: preparable(`
      SELECT h.horizon_text AS horizon, e.stream_id, e.event_id, e.version, e.global_position, e.transaction_id::text AS transaction_id,
        e.type, e.schema_version, e.data, e.metadata, e.recorded_at_ms
      FROM (SELECT horizon, horizon::text AS horizon_text FROM (SELECT COALESCE($6::xid8, ${horizonSql(schema)}) AS horizon) h0 OFFSET 0) h
      LEFT JOIN LATERAL (
        SELECT stream_id, ${EVENT_COLUMNS} FROM ${events}
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) AND transaction_id < h.horizon
          AND ($4::text[] IS NULL OR type = ANY($4::text[]))
          AND ($5::text IS NULL OR stream_id LIKE $5::text)
        ORDER BY transaction_id, global_position LIMIT $3::int
      ) e ON true`),
    // $1 ids: those events in stream order (dead-letter retries), each found through event_ids.
    readEventsById: `SELECT stream_id, ${EVENT_COLUMNS}
      FROM (SELECT DISTINCT id FROM unnest($1::uuid[]) AS u(id)) i CROSS JOIN LATERAL (${byId("i.id")}) e
      ORDER BY stream_id, version`,
    listStreams: `
      SELECT stream_id, version, created_at FROM ${streams}
      WHERE deleted_at IS NULL AND stream_id > $1::text AND ($2::text IS NULL OR stream_id LIKE $2::text)
      ORDER BY stream_id LIMIT $3::int`,
    deleteStream: deleteText,
    reusableHorizon: true,
  };
}
