import pg from "pg";
import type { BenchTarget } from "../targets/bench-target.js";

/** Events per seeded stream: a store of N events holds ⌈N / 1,000⌉ streams `seed-0`, `seed-1`, …. */
export const PRELOAD_STREAM_SIZE = 1_000;
/** Events per seeding transaction: each chunk commits on its own, so the global order spans many transactions. */
const CHUNK_EVENTS = 1_000_000;
/** The schema comment that marks a finished seed; it is written last, in the last chunk's transaction. */
const MARK = "strata bench preload: ";

/** A preloaded schema of one target, kept between runs (never dropped by the harness). */
export interface PreloadedStore {
  readonly target: BenchTarget["name"];
  readonly schema: string;
  /** Events seeded, untimed; a growth run's own appends come on top. */
  readonly events: number;
  /** False when an earlier run had already seeded the schema with this count. */
  readonly seededNow: boolean;
  /** How long the seeding took (0 when reused). */
  readonly seedMs: number;
}

/** The schema a target's store of `events` preloaded events lives in: `bench_growth_<target>_<events>`. */
export function preloadSchemaName(target: BenchTarget["name"], events: number): string {
  return `bench_growth_${target}_${events}`;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The seed events `from`..`to` (0-based, inclusive) as rows: stream `seed-⌊g/1000⌋`, version
 * `g % 1000 + 1`, a v2 deposit of about 200 bytes of JSON like the workloads' own (fixtures/bench-events.ts).
 */
function seedRows(from: number, to: number): string {
  return `SELECT 'seed-' || (g / ${PRELOAD_STREAM_SIZE}) AS stream_id, g % ${PRELOAD_STREAM_SIZE} + 1 AS version,
      jsonb_build_object('ref', 'seed-' || g, 'accountId', gen_random_uuid(), 'amount', 1000 + (g * 7919) % 250000,
        'currency', 'EUR', 'source', (ARRAY['cash', 'transfer', 'card'])[g % 3 + 1],
        'channel', (ARRAY['web', 'branch', 'mobile', 'api'])[g % 4 + 1],
        'reference', 'Invoice ' || (2026000000 + g) || ', services', 'occurredAt', '2026-09-22T08:00:00.000Z') AS data
    FROM generate_series(${from}::bigint, ${to}::bigint) AS g ORDER BY g`;
}

/**
 * The statements that seed events `from`..`to`, set-based, against the layout the target itself
 * created (Strata: the store's migrations; raw: the baseline's table). Strata's side writes
 * `streams`, `events` and `event_ids` as the store's append would (one version per event, the
 * stream row at its last version, every id registered); `transaction_id` and `global_position`
 * come from the columns' defaults, so the global order is the seed order.
 */
function seedStatements(target: BenchTarget["name"], schema: string, from: number, to: number, total: number): string[] {
  const s = quote(schema);
  if (target === "raw") {
    return [`INSERT INTO ${s}.events (stream_id, version, type, data) SELECT stream_id, version, 'FundsDeposited', data FROM (${seedRows(from, to)}) r`];
  }
  const firstStream = Math.floor(from / PRELOAD_STREAM_SIZE);
  const lastStream = Math.floor(to / PRELOAD_STREAM_SIZE);
  return [
    `INSERT INTO ${s}.streams (stream_id, version)
      SELECT 'seed-' || k, least(${PRELOAD_STREAM_SIZE}, ${total} - k * ${PRELOAD_STREAM_SIZE}) FROM generate_series(${firstStream}, ${lastStream}) AS k`,
    `WITH appended AS (
      INSERT INTO ${s}.events (stream_id, version, event_id, type, schema_version, data, recorded_at)
      SELECT stream_id, version, gen_random_uuid(), 'FundsDeposited', 2, data, date_trunc('milliseconds', now()) FROM (${seedRows(from, to)}) r
      RETURNING event_id, stream_id, version, global_position)
    INSERT INTO ${s}.event_ids (event_id, stream_id, version, global_position) SELECT event_id, stream_id, version, global_position FROM appended`,
  ];
}

/** The number of events a finished seed of `schema` recorded, or undefined when there is none. */
async function seededCount(client: pg.Client, schema: string): Promise<number | undefined> {
  const { rows } = await client.query<{ comment: string | null }>(
    "SELECT obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = $1",
    [schema],
  );
  const comment = rows[0]?.comment;
  return comment?.startsWith(MARK) === true ? Number(comment.slice(MARK.length)) : undefined;
}

/**
 * Makes sure `target` has a schema holding `events` preloaded events, seeding it untimed when it
 * does not (a new schema, migrated by the target itself, then set-based INSERTs in chunks of a
 * million, then `VACUUM (ANALYZE)` so the store is measured as autovacuum would leave it). A
 * schema that a finished seed marked with the same count is reused as it is, so a 10-million
 * preload is paid once; one marked otherwise, or not at all (an interrupted seed), is dropped and
 * seeded again. An advisory lock keeps two bench processes from seeding the same schema at once.
 */
export async function ensurePreloaded(
  target: BenchTarget,
  events: number,
  connectionString: string,
  log: (line: string) => void = () => undefined,
  /** Another schema than `preloadSchemaName(target, events)`, for tests. */
  schema: string = preloadSchemaName(target.name, events),
): Promise<PreloadedStore> {
  if (!Number.isSafeInteger(events) || events < 1) throw new Error(`A preload needs a positive number of events, not ${events}.`);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [schema]);
    if ((await seededCount(client, schema)) === events) return { target: target.name, schema, events, seededNow: false, seedMs: 0 };
    const started = performance.now();
    await client.query(`DROP SCHEMA IF EXISTS ${quote(schema)} CASCADE`);
    await client.query(`CREATE SCHEMA ${quote(schema)}`);
    // The target lays out its own tables (Strata runs its migrations), so the seed fits whatever they are.
    const session = await target.open(schema, { poolSize: 1, connectionString });
    await session.close();
    for (let from = 0; from < events; from += CHUNK_EVENTS) {
      const to = Math.min(events, from + CHUNK_EVENTS) - 1;
      await client.query("BEGIN");
      for (const statement of seedStatements(target.name, schema, from, to, events)) await client.query(statement);
      if (to === events - 1) await client.query(`COMMENT ON SCHEMA ${quote(schema)} IS '${MARK}${events}'`);
      await client.query("COMMIT");
      log(`preload ${target.name}: ${to + 1} of ${events} events (${((performance.now() - started) / 1_000).toFixed(0)} s)`);
    }
    const { rows } = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = $1", [schema]);
    for (const { tablename } of rows) await client.query(`VACUUM (ANALYZE) ${quote(schema)}.${quote(tablename)}`);
    const seedMs = performance.now() - started;
    log(`preload ${target.name}: ${events} events seeded in ${(seedMs / 1_000).toFixed(0)} s`);
    return { target: target.name, schema, events, seededNow: true, seedMs };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * ANALYZEs the tables of a preloaded schema, as `WorkloadRun.analyze` does for a run's fresh one
 * (W4 calls it after seeding its stream); on a large store it samples, so it takes seconds, untimed.
 */
export async function analyzePreloaded(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = $1", [schema]);
    for (const { tablename } of rows) await client.query(`ANALYZE ${quote(schema)}.${quote(tablename)}`);
  } finally {
    await client.end();
  }
}
