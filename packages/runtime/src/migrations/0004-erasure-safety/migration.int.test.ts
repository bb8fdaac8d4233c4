import { expect, it } from "vitest";
import { createStorage } from "../../storage/create-storage.js";
import { describeEachBackend } from "../../testing/backends.js";
import { migrateStorage } from "../migrate.js";

describeEachBackend("migration 0004-erasure-safety", (backend) => {
  const columns = async (schema: string, table: string) =>
    (
      await backend.query<{ column_name: string; data_type: string; is_nullable: string }>(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [schema, table],
      )
    ).map((c) => [c.column_name, c.data_type, c.is_nullable]);

  it("creates the KEK check table and the erasure places, and records the erasure event checkpoint and the key's deletion horizon on the audit row", async () => {
    const schema = backend.freshSchema();
    const storage = createStorage(backend.database());
    expect((await migrateStorage(storage, schema)).applied).toContain("0004-erasure-safety");
    await storage.close();
    expect(await columns(schema, "kek_checks")).toEqual([
      ["kek_id", "text", "NO"],
      ["check_value", "bytea", "NO"],
      ["created_at", "timestamp with time zone", "NO"],
    ]);
    expect(await columns(schema, "erasure_places")).toEqual([
      ["audit_id", "bigint", "NO"],
      ["place", "text", "NO"],
      ["status", "text", "NO"],
      ["detail", "text", "YES"],
      ["updated_at", "timestamp with time zone", "NO"],
    ]);
    expect((await columns(schema, "erasure_audit")).slice(-2)).toEqual([
      ["event_checkpoint", "text", "YES"],
      ["key_horizon", "text", "YES"],
    ]);
    await expect(backend.query(`INSERT INTO "${schema}".erasure_places (audit_id, place, status) VALUES (1, 'x', 'maybe')`)).rejects.toThrow();
  });
});
