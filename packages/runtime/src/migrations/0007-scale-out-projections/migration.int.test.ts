import { expect, it } from "vitest";
import { testRegistry } from "../../../test/fixtures/test-registry.js";
import { describeEachBackend } from "../../testing/backends.js";

describeEachBackend("migration 0007-scale-out-projections", (backend) => {
  it("creates the partition and worker tables, keyed by projection name", async () => {
    const schema = backend.freshSchema();
    await backend.createStore(testRegistry, { schema });
    const columns = async (table: string) =>
      (await backend.query<{ column_name: string; data_type: string }>(
        // 0008 adds the failure record (failed_*); this release's columns are the others.
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name NOT LIKE 'failed\_%' ORDER BY ordinal_position`,
        [schema, table],
      )).map((c) => `${c.column_name} ${c.data_type}`);
    expect(await columns("projection_partitions")).toEqual([
      "name text", "partition integer", "partitions integer", "checkpoint text", "events_applied bigint",
      "lease_owner text", "lease_expires_at timestamp with time zone", "updated_at timestamp with time zone",
    ]);
    expect(await columns("projection_workers")).toEqual(["name text", "worker text", "expires_at timestamp with time zone"]);
    await backend.query(`INSERT INTO "${schema}".projection_partitions (name, partition, partitions) VALUES ('p', 0, 2)`);
    await expect(backend.query(`INSERT INTO "${schema}".projection_partitions (name, partition, partitions) VALUES ('p', 0, 2)`)).rejects.toThrow();
    await expect(backend.query(`INSERT INTO "${schema}".projection_partitions (name, partition, partitions) VALUES ('p', 2, 2)`)).rejects.toThrow();
  });
});
