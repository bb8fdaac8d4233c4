import { expect, it } from "vitest";
import { testRegistry } from "../../../test/fixtures/test-registry.js";
import { storedCopiesText } from "../../erasure/store-personal-data.js";
import { createStorage } from "../../storage/create-storage.js";
import { buildStatements } from "../../store/statements.js";
import { describeEachBackend } from "../../testing/backends.js";
import { migrateStorage } from "../migrate.js";
import { eventIdLookupMigration } from "./migration.js";

interface PlanNode {
  readonly "Node Type": string;
  readonly "Relation Name"?: string;
  readonly Plans?: readonly PlanNode[];
}

/** Every scan of a table in the plan, as `node type on table`. */
function scans(node: PlanNode): string[] {
  const own = node["Relation Name"] === undefined ? [] : [`${node["Node Type"]} on ${node["Relation Name"]}`];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}

describeEachBackend("migration 0008-event-id-lookup", (backend) => {
  it("adds where each id's event is to event_ids, fills it for existing events and drops events_event_id_key", async () => {
    const schema = backend.freshSchema();
    const storage = createStorage(backend.database());
    try {
      expect((await migrateStorage(storage, schema)).applied).toContain("0008-event-id-lookup");
      const columns = await backend.query<{ column_name: string; data_type: string; is_nullable: string }>(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'event_ids' ORDER BY ordinal_position`,
        [schema],
      );
      expect(columns.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
        ["event_id", "uuid", "NO"],
        ["stream_id", "text", "NO"],
        ["version", "bigint", "YES"],
        ["global_position", "bigint", "YES"],
      ]);
      const eventIndexes = async () =>
        (await backend.query<{ name: string }>(`SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = ($1 || '.events')::regclass ORDER BY 1`, [`"${schema}"`])).map(
          (row) => row.name,
        );
      expect(await eventIndexes()).toEqual(["events_global_order", "events_pkey"]);

      // The state an earlier release left: the constraint, event_ids without positions, one id
      // whose event is gone (a detached partition) and one id an earlier release let two streams share.
      await backend.query(`ALTER TABLE "${schema}".event_ids DROP COLUMN version, DROP COLUMN global_position`);
      await backend.query(`ALTER TABLE "${schema}".events ADD CONSTRAINT events_event_id_key UNIQUE (event_id, stream_id)`);
      const insert = `INSERT INTO "${schema}".events (stream_id, version, event_id, type, schema_version, data, recorded_at) VALUES ($1, $2, $3, 'T', 1, '{}', now())`;
      await backend.query(insert, ["first", 1, "01890000-0000-7000-8000-000000000001"]);
      await backend.query(insert, ["first", 2, "01890000-0000-7000-8000-000000000002"]);
      await backend.query(insert, ["second", 1, "01890000-0000-7000-8000-000000000002"]);
      await backend.query(
        `INSERT INTO "${schema}".event_ids (event_id, stream_id) VALUES ('01890000-0000-7000-8000-000000000001', 'first'), ('01890000-0000-7000-8000-000000000002', 'first'), ('01890000-0000-7000-8000-000000000009', 'gone')`,
      );
      await storage.withKysely((db) => eventIdLookupMigration(schema).up(db));
      const ids = await backend.query<{ event_id: string; stream_id: string; version: string | null; found: boolean }>(
        `SELECT k.event_id::text AS event_id, k.stream_id, k.version::text AS version,
           EXISTS (SELECT 1 FROM "${schema}".events e WHERE e.global_position = k.global_position AND e.stream_id = k.stream_id AND e.version = k.version) AS found
         FROM "${schema}".event_ids k ORDER BY k.event_id`,
      );
      expect(ids).toEqual([
        { event_id: "01890000-0000-7000-8000-000000000001", stream_id: "first", version: "1", found: true },
        { event_id: "01890000-0000-7000-8000-000000000002", stream_id: "first", version: "2", found: true },
        { event_id: "01890000-0000-7000-8000-000000000009", stream_id: "gone", version: null, found: false },
      ]);
      expect(await eventIndexes()).toEqual(["events_global_order", "events_pkey"]);
    } finally {
      await storage.close();
    }
  });

  it("appends record each id's place, and every lookup by id reaches events by its primary key, never a sequential scan", async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(testRegistry, { schema });
    const ids = Array.from({ length: 3 }, () => crypto.randomUUID());
    await store.append("acc-1", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
    const appended = await store.append("acc-2", ids.map((id, i) => ({ id, type: "MoneyDeposited" as const, data: { amount: i + 1, currency: "EUR" } })));
    const places = await backend.query<{ event_id: string; stream_id: string; version: string; global_position: string }>(
      `SELECT event_id::text AS event_id, stream_id, version::text AS version, global_position::text AS global_position FROM "${schema}".event_ids WHERE stream_id = 'acc-2' ORDER BY version`,
    );
    expect(places).toEqual(appended.events.map((event) => ({ event_id: event.id, stream_id: "acc-2", version: String(event.version), global_position: String(event.globalPosition) })));
    // A retried append finds its ids through event_ids and returns the original result.
    expect(await store.append("acc-2", ids.map((id, i) => ({ id, type: "MoneyDeposited" as const, data: { amount: i + 1, currency: "EUR" } })))).toEqual(appended);

    const statements = buildStatements(schema);
    const lookups: Record<string, { readonly text: string; readonly parameters: readonly unknown[] }> = {
      findEventIds: { text: statements.findEventIds, parameters: [ids, ids.map(() => "MoneyDeposited"), JSON.stringify(ids.map(() => ({}))), "acc-2"] },
      readEventsById: { text: statements.readEventsById, parameters: [ids] },
      storedCopies: { text: storedCopiesText(schema), parameters: [ids] },
    };
    const plans = async (): Promise<Record<string, string[]>> => {
      const found: Record<string, string[]> = {};
      for (const mode of ["force_custom_plan", "force_generic_plan"]) {
        await backend.query(`SET plan_cache_mode = ${mode}`);
        for (const [name, { text, parameters }] of Object.entries(lookups)) {
          const [row] = await backend.query<{ "QUERY PLAN": readonly [{ readonly Plan: PlanNode }] | string }>(`EXPLAIN (FORMAT JSON) ${text}`, parameters);
          const plan = row?.["QUERY PLAN"];
          const parsed = (typeof plan === "string" ? JSON.parse(plan) : plan) as readonly [{ readonly Plan: PlanNode }];
          // events and event_ids only (the stream's own row is a lookup by its key, or a scan of a tiny table).
          found[`${name} (${mode})`] = scans(parsed[0].Plan).filter((scan) => / on event(s|_ids)$/.test(scan)).sort();
        }
      }
      await backend.query(`RESET plan_cache_mode`);
      return found;
    };
    const indexScans = Object.fromEntries(
      Object.keys(lookups).flatMap((name) => ["force_custom_plan", "force_generic_plan"].map((mode) => [`${name} (${mode})`, ["Index Scan on event_ids", "Index Scan on events"]])),
    );
    // Without statistics (a new table), then with many events and statistics.
    const before = await plans();
    expect(before).toEqual(indexScans);
    await backend.query(`INSERT INTO "${schema}".streams (stream_id, version) SELECT 'bulk-' || s, 100 FROM generate_series(1, 50) AS s`);
    await backend.query(
      `INSERT INTO "${schema}".events (stream_id, version, event_id, type, schema_version, data, recorded_at)
       SELECT 'bulk-' || (g / 100 + 1), g % 100 + 1, gen_random_uuid(), 'AccountOpened', 1, '{"owner":"x"}', now() FROM generate_series(0, 4999) AS g`,
    );
    await backend.query(`INSERT INTO "${schema}".event_ids (event_id, stream_id, version, global_position) SELECT event_id, stream_id, version, global_position FROM "${schema}".events WHERE stream_id LIKE 'bulk-%'`);
    await backend.query(`ANALYZE "${schema}".streams`);
    await backend.query(`ANALYZE "${schema}".events`);
    await backend.query(`ANALYZE "${schema}".event_ids`);
    const after = await plans();
    expect(after).toEqual(indexScans);
  });
});
