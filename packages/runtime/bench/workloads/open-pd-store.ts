import { randomBytes } from "node:crypto";
import { createPersonalDataStore, LocalKekProvider } from "@strata/runtime";
import type { EventRegistry, EventShape, PersonalDataStore, RegistryEvent, RegistryReadEvent } from "@strata/runtime";
import type { WorkloadRun } from "../harness/workload.js";

/**
 * Opens `createPersonalDataStore` on the run's schema (already migrated by the Strata target, so
 * no second migration races with other users of the server) with a fresh random KEK. Workloads
 * use it for its Postgres snapshot store and for encrypted personal fields.
 */
export function openPersonalDataStore<R extends EventRegistry<EventShape>>(
  run: Pick<WorkloadRun, "schema" | "databaseUrl">,
  registry: R,
  poolSize: number,
): Promise<PersonalDataStore<RegistryEvent<R>, RegistryReadEvent<R>>> {
  return createPersonalDataStore({
    registry,
    database: { kind: "postgres", connectionString: run.databaseUrl, poolSize },
    schema: run.schema,
    migrate: false,
    kek: new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" }),
  });
}
