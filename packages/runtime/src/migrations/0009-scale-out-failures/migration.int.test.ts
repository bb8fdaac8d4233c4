import { expect, it } from "vitest";
import { testRegistry } from "../../../test/fixtures/test-registry.js";
import { describeEachBackend } from "../../testing/backends.js";

describeEachBackend("migration 0009-scale-out-failures", (backend) => {
  it("adds the failure record of a stopped partition to projection_partitions", async () => {
    const schema = backend.freshSchema();
    await backend.createStore(testRegistry, { schema });
    const columns = (await backend.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'projection_partitions' AND column_name LIKE 'failed%' ORDER BY ordinal_position`,
      [schema],
    )).map((c) => `${c.column_name} ${c.data_type}`);
    expect(columns).toEqual([
      "failed_event_id text", "failed_event_type text", "failed_checkpoint text",
      "failed_attempts integer", "failed_error text", "failed_at timestamp with time zone",
    ]);
  });
});
