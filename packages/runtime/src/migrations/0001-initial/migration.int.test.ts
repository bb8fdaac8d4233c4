import { expect, it } from "vitest";
import { createStorage } from "../../storage/create-storage.js";
import { describeEachBackend } from "../../testing/backends.js";
import { migrateStorage } from "../migrate.js";
import { storeMigrations } from "../migrations.js";

describeEachBackend("migration 0001-initial", (backend) => {
  const columns = async (schema: string, table: string) =>
    backend.query<{ column_name: string; data_type: string; is_nullable: string; collation_name: string | null; column_default: string | null }>(
      `SELECT column_name, data_type, is_nullable, collation_name, column_default FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schema, table],
    );

  it("creates the streams and events tables with the documented layout", async () => {
    const schema = backend.freshSchema();
    const storage = createStorage(backend.database());
    expect(await migrateStorage(storage, schema)).toEqual({ schema, applied: Object.keys(storeMigrations(schema)) });
    expect(Object.keys(storeMigrations(schema))[0]).toBe("0001-initial");
    await storage.close();

    expect((await columns(schema, "streams")).map((c) => [c.column_name, c.data_type, c.is_nullable, c.collation_name])).toEqual([
      ["stream_id", "text", "NO", "C"],
      ["version", "bigint", "NO", null],
      ["created_at", "timestamp with time zone", "NO", null],
      ["deleted_at", "timestamp with time zone", "YES", null],
    ]);
    const events = await columns(schema, "events");
    expect(events.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ["stream_id", "text", "NO"],
      ["version", "bigint", "NO"],
      ["global_position", "bigint", "NO"],
      ["transaction_id", "xid8", "NO"],
      ["event_id", "uuid", "NO"],
      ["type", "text", "NO"],
      ["schema_version", "integer", "NO"],
      ["data", "jsonb", "NO"],
      ["metadata", "jsonb", "YES"],
      ["recorded_at", "timestamp with time zone", "NO"],
    ]);
    expect(events.find((c) => c.column_name === "transaction_id")?.column_default).toBe("pg_current_xact_id()");
    expect(events.find((c) => c.column_name === "global_position")?.column_default).toMatch(/^nextval\(/);

    const indexes = await backend.query<{ name: string; definition: string; is_unique: boolean }>(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition, i.indisunique AS is_unique
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = ($1 || '.events')::regclass ORDER BY c.relname`,
      [`"${schema}"`],
    );
    // 0001's UNIQUE (event_id, stream_id) is dropped by 0008-event-id-lookup (ids are unique through event_ids).
    expect(indexes.map((index) => [index.name, index.is_unique, index.definition.replace(/^.* USING /, "")])).toEqual([
      ["events_global_order", false, "btree (transaction_id, global_position)"],
      ["events_pkey", true, "btree (stream_id, version)"],
    ]);
    const foreignKeys = await backend.query(
      `SELECT 1 FROM information_schema.table_constraints WHERE table_schema = $1 AND constraint_type = 'FOREIGN KEY'`,
      [schema],
    );
    expect(foreignKeys).toEqual([]);
  });

  it("leaves the events table partitionable by hash of stream_id", async () => {
    const schema = backend.freshSchema();
    const storage = createStorage(backend.database());
    await migrateStorage(storage, schema);
    await storage.close();
    // Copies every constraint and index; Postgres refuses a unique index that lacks the partition key.
    await backend.query(`CREATE TABLE "${schema}".events_partitioned (LIKE "${schema}".events INCLUDING ALL) PARTITION BY HASH (stream_id)`);
    await backend.query(`CREATE TABLE "${schema}".events_p0 PARTITION OF "${schema}".events_partitioned FOR VALUES WITH (MODULUS 2, REMAINDER 0)`);
    await backend.query(`CREATE TABLE "${schema}".events_p1 PARTITION OF "${schema}".events_partitioned FOR VALUES WITH (MODULUS 2, REMAINDER 1)`);
    const attached = await backend.query<{ count: string | number | bigint }>(
      `SELECT count(*) AS count FROM pg_inherits WHERE inhparent = ($1 || '.events_partitioned')::regclass`,
      [`"${schema}"`],
    );
    expect(Number(attached[0]?.count)).toBe(2);
  });

  it("is idempotent and safe when several processes migrate at once", async () => {
    const schema = backend.freshSchema();
    const storages = Array.from({ length: backend.concurrent ? 4 : 2 }, () => createStorage(backend.database()));
    const reports = await Promise.all(storages.map((storage) => migrateStorage(storage, schema)));
    expect(reports.map((report) => report.applied).flat()).toEqual(Object.keys(storeMigrations(schema)));
    const [first] = storages;
    if (first !== undefined) expect(await migrateStorage(first, schema)).toEqual({ schema, applied: [] });
    for (const storage of storages) await storage.close();
  });
});
