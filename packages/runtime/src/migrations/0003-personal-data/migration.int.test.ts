import { expect, it } from "vitest";
import { createStorage } from "../../storage/create-storage.js";
import { describeEachBackend } from "../../testing/backends.js";
import { migrateStorage } from "../migrate.js";

describeEachBackend("migration 0003-personal-data", (backend) => {
  const columns = async (schema: string, table: string) =>
    (
      await backend.query<{ column_name: string; data_type: string; is_nullable: string; collation_name: string | null }>(
        `SELECT column_name, data_type, is_nullable, collation_name FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [schema, table],
      )
    ).map((c) => [c.column_name, c.data_type, c.is_nullable, c.collation_name]);

  it("creates the key table and the erasure audit table with the documented layout", async () => {
    const schema = backend.freshSchema();
    const storage = createStorage(backend.database());
    expect((await migrateStorage(storage, schema)).applied).toContain("0003-personal-data");
    await storage.close();
    expect(await columns(schema, "subject_keys")).toEqual([
      ["key_id", "text", "NO", "C"],
      ["subject_id", "text", "NO", null],
      ["kek_id", "text", "NO", null],
      ["wrapped_dek", "bytea", "NO", null],
      ["created_at", "timestamp with time zone", "NO", null],
    ]);
    // 0004-erasure-safety appends event_checkpoint; the columns of 0003 come first.
    expect((await columns(schema, "erasure_audit")).slice(0, 8)).toEqual([
      ["audit_id", "bigint", "NO", null],
      ["subject_hash", "text", "NO", null],
      ["reason", "text", "NO", null],
      ["requested_by", "text", "NO", null],
      ["requested_at", "timestamp with time zone", "NO", null],
      ["completed_at", "timestamp with time zone", "YES", null],
      ["outcome", "text", "YES", null],
      ["snapshots_deleted", "integer", "NO", null],
    ]);
    const unique = await backend.query<{ definition: string }>(
      `SELECT pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i WHERE i.indrelid = ($1 || '.subject_keys')::regclass AND i.indisunique ORDER BY 1`,
      [`"${schema}"`],
    );
    expect(unique.map((row) => row.definition.replace(/^.* USING /, ""))).toEqual(["btree (key_id)", "btree (subject_id)"]);
    await expect(backend.query(`INSERT INTO "${schema}".erasure_audit (subject_hash, reason, requested_by, outcome) VALUES ('h', 'r', 'q', 'maybe')`)).rejects.toThrow();
  });
});
