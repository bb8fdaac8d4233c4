import { expect, it } from "vitest";
import { testRegistry } from "../../../test/fixtures/test-registry.js";
import { describeEachBackend } from "../../testing/backends.js";

describeEachBackend("migration 0002-projections", (backend) => {
  it("creates the projection bookkeeping tables and no trigger on events (appends must not NOTIFY in their own transaction)", async () => {
    const schema = backend.freshSchema();
    await backend.createStore(testRegistry, { schema });
    const columns = await backend.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name LIKE 'projection%' ORDER BY table_name, ordinal_position`,
      [schema],
    );
    const byTable = (table: string) => columns.filter((c) => c.table_name === table).map((c) => `${c.column_name} ${c.data_type}`);
    expect(byTable("projections")).toEqual([
      "name text", "kind text", "version integer", "checkpoint text", "state text", "events_applied bigint", "last_position bigint",
      "last_recorded_at timestamp with time zone", "failed_event_id text", "failed_event_type text", "failed_checkpoint text",
      "failed_in_rebuild boolean", "attempts integer", "last_error text", "failed_at timestamp with time zone", "lease_owner text",
      "lease_expires_at timestamp with time zone", "rebuild_version integer", "rebuild_checkpoint text", "rebuild_ready boolean",
      "rebuild_events_applied bigint", "updated_at timestamp with time zone",
    ]);
    expect(byTable("projection_skips")).toEqual(["name text", "event_id text", "event_type text", "checkpoint text", "error text", "skipped_at timestamp with time zone"]);
    const triggers = await backend.query<{ tgname: string }>(
      `SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = 'events' AND NOT t.tgisinternal`,
      [schema],
    );
    expect(triggers.map((t) => t.tgname)).toEqual([]);
    await expect(backend.query(`INSERT INTO "${schema}".projections (name, kind, version, state) VALUES ('p', 'projection', 1, 'paused')`)).rejects.toThrow();
  });
});
