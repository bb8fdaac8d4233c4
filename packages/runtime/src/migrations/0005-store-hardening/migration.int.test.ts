import { expect, it } from "vitest";
import { createStorage } from "../../storage/create-storage.js";
import { describeEachBackend } from "../../testing/backends.js";
import { migrateStorage } from "../migrate.js";
import { storeHardeningMigration } from "./migration.js";

describeEachBackend("migration 0005-store-hardening", (backend) => {
  it("creates event_ids with its own primary key and the dead-letter table, and copies existing ids keeping an id's first stream", async () => {
    const schema = backend.freshSchema();
    const storage = createStorage(backend.database());
    try {
      expect((await migrateStorage(storage, schema)).applied).toContain("0005-store-hardening");
      const columns = await backend.query<{ column_name: string; data_type: string; is_nullable: string; collation_name: string | null }>(
        `SELECT column_name, data_type, is_nullable, collation_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'event_ids' ORDER BY ordinal_position`,
        [schema],
      );
      // 0008-event-id-lookup adds version and global_position after these two.
      expect(columns.slice(0, 2).map((c) => [c.column_name, c.data_type, c.is_nullable, c.collation_name])).toEqual([
        ["event_id", "uuid", "NO", null],
        ["stream_id", "text", "NO", "C"],
      ]);
      const unique = await backend.query<{ definition: string }>(
        `SELECT pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i WHERE i.indrelid = ($1 || '.event_ids')::regclass AND i.indisunique`,
        [`"${schema}"`],
      );
      expect(unique.map((row) => row.definition.replace(/^.* USING /, ""))).toEqual(["btree (event_id)"]);

      // Events written by an earlier release, one id shared by two streams (which that release allowed).
      const deadLetterColumns = await backend.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'projection_dead_letters' ORDER BY ordinal_position`,
        [schema],
      );
      expect(deadLetterColumns.map((c) => c.column_name)).toEqual([
        "name", "event_id", "stream_id", "stream_version", "event_type", "global_position", "checkpoint", "status", "attempts", "error_code", "error", "dead_lettered_at",
      ]);
      await expect(backend.query(`INSERT INTO "${schema}".projection_dead_letters (name, event_id, stream_id, stream_version, event_type, global_position, checkpoint, status) VALUES ('p', gen_random_uuid(), 's', 1, 'T', 1, '1:1', 'lost')`)).rejects.toThrow();
      await backend.query(`DROP TABLE "${schema}".event_ids`);
      await backend.query(`DROP TABLE "${schema}".projection_dead_letters`);
      const insert = `INSERT INTO "${schema}".events (stream_id, version, event_id, type, schema_version, data, recorded_at) VALUES ($1, $2, $3, 'T', 1, '{}', now())`;
      await backend.query(insert, ["first", 1, "01890000-0000-7000-8000-000000000001"]);
      await backend.query(insert, ["first", 2, "01890000-0000-7000-8000-000000000002"]);
      await backend.query(insert, ["second", 1, "01890000-0000-7000-8000-000000000002"]);
      await storage.withKysely((db) => storeHardeningMigration(schema).up(db));
      const ids = await backend.query<{ event_id: string; stream_id: string }>(`SELECT event_id::text AS event_id, stream_id FROM "${schema}".event_ids ORDER BY event_id`);
      expect(ids).toEqual([
        { event_id: "01890000-0000-7000-8000-000000000001", stream_id: "first" },
        { event_id: "01890000-0000-7000-8000-000000000002", stream_id: "first" },
      ]);
    } finally {
      await storage.close();
    }
  });
});
