/**
 * `EXPLAIN (ANALYZE, BUFFERS)` of the store's own statements (src/store/statements.ts) on a
 * schema preloaded by `pnpm bench -- --preload N`: the stream read of a seeded stream and of the
 * newest W4 stream a growth run wrote, with the custom and the generic plan (the store runs them
 * as prepared statements, so after five executions PostgreSQL may switch to the generic one), and
 * the append (extend at an expected version, and create) with a caller-supplied id, rolled back.
 *
 *   npx tsx --conditions=@strata/source bench/explain-growth.ts [schema] [seeded stream]
 *
 * Compare the output for bench_growth_strata_1000000 and bench_growth_strata_10000000: a step
 * whose rows or buffers grow with the store's size would show here.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { buildStatements } from "../src/store/statements.js";

const url = process.env["DATABASE_URL"] ?? "postgres://root@127.0.0.1:5432/test";
const schema = process.argv[2] ?? "bench_growth_strata_10000000";
const seedStream = process.argv[3] ?? "seed-5000";
const st = buildStatements(schema);
const c = new pg.Client({ connectionString: url });
await c.connect();
const q = (s: string): string => `"${schema}".${s}`;
const show = async (title: string, sql: string, params: unknown[], generic = false): Promise<void> => {
  await c.query("BEGIN");
  try {
    if (generic) await c.query("SET LOCAL plan_cache_mode = force_generic_plan");
    await c.query(`PREPARE p AS ${sql}`);
    const lit = params.map((p) => (p === null ? "NULL" : Array.isArray(p) ? `'{${p.join(",")}}'` : `'${String(p).replaceAll("'", "''")}'`));
    const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE p(${lit.join(", ")})`);
    console.log(`\n### ${title}${generic ? " (generic plan)" : ""}\n` + rows.map((r) => r["QUERY PLAN"]).join("\n"));
  } finally {
    await c.query("ROLLBACK");
    await c.query("DEALLOCATE ALL");
  }
};
const size = await c.query(`SELECT pg_size_pretty(pg_total_relation_size('${q("events")}')) AS events, (SELECT reltuples::bigint FROM pg_class WHERE oid = '${q("events")}'::regclass) AS rows`);
console.log(schema, JSON.stringify(size.rows[0]));
const hist = await c.query(`SELECT stream_id, version FROM ${q("streams")} WHERE stream_id LIKE 'G%history' ORDER BY created_at DESC LIMIT 1`);
const seedVersion = (await c.query(`SELECT version FROM ${q("streams")} WHERE stream_id = $1`, [seedStream])).rows[0]?.version;
const MAX = "9007199254740991";
for (const generic of [false, true]) {
  await show(`readForward ${seedStream} (1,000 events, page 1,000)`, st.readForward, [seedStream, 1, MAX, null, 1000], generic);
  if (hist.rows[0]) await show(`readForward ${hist.rows[0].stream_id} (first page of 1,000)`, st.readForward, [hist.rows[0].stream_id, 1, MAX, null, 1000], generic);
}
const data = JSON.stringify([{ ref: "explain", amount: 1, currency: "EUR" }]);
await show(`append extend-at ${seedStream}@${seedVersion}, caller id`, st.append("extend-at", true), [seedStream, 1, [randomUUID()], ["FundsDeposited"], [2], data, null, seedVersion]);
await show("append create new stream, caller id", st.append("create", true), [`explain-${randomUUID()}`, 1, [randomUUID()], ["FundsDeposited"], [2], data, null]);
await show(`append extend-at ${seedStream}@${seedVersion}, caller id`, st.append("extend-at", true), [seedStream, 1, [randomUUID()], ["FundsDeposited"], [2], data, null, seedVersion], true);
await c.end();
