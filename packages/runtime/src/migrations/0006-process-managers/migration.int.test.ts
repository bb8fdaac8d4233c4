import { expect, it } from "vitest";
import { testRegistry } from "../../../test/fixtures/test-registry.js";
import { describeEachBackend } from "../../testing/backends.js";

describeEachBackend("migration 0006-process-managers", (backend) => {
  it("creates the deadlines table, keyed by the input each deadline becomes, indexed by due time", async () => {
    const schema = backend.freshSchema();
    await backend.createStore(testRegistry, { schema });
    const columns = await backend.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'process_deadlines' ORDER BY ordinal_position`,
      [schema],
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
      "manager text", "process_id text", "input_key text", "deadline_key text", "due_at timestamp with time zone", "data jsonb", "claimed_until timestamp with time zone",
    ]);
    const indexes = await backend.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'process_deadlines' ORDER BY indexname`, [schema]);
    expect(indexes.map((i) => i.indexname)).toEqual(["process_deadlines_due", "process_deadlines_pkey"]);
    await backend.query(`INSERT INTO "${schema}".process_deadlines (manager, process_id, input_key, deadline_key, due_at) VALUES ('m', 'p', 'k', 'd', now())`);
    await expect(backend.query(`INSERT INTO "${schema}".process_deadlines (manager, process_id, input_key, deadline_key, due_at) VALUES ('m', 'p', 'k', 'd2', now())`)).rejects.toThrow();
  });
});
