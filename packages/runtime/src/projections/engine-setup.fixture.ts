/** Test fixture: a store, a balances projection and engines over them, each in fresh schemas. */
import { randomBytes } from "node:crypto";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { StoreBackend } from "../testing/backends.js";
import { balancesProjection, readBalances } from "./balances.fixture.js";
import type { BalancesOptions } from "./balances.fixture.js";
import { createProjectionEngine } from "./projection-engine.js";
import type { ProjectionEngineOptions } from "./projection-engine.js";

/** A deposit of `amount` EUR. */
export const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
/** An account opening. */
export const opened = { type: "AccountOpened" as const, data: { owner: "Ada" } };

/** A store, a read-model schema and an engine factory, all in fresh schemas. */
export async function setUp(backend: StoreBackend, cleanup: string[], projection: Omit<BalancesOptions, "name" | "schema"> = {}) {
  const schema = backend.freshSchema();
  const readSchema = `rm_${randomBytes(5).toString("hex")}`;
  cleanup.push(readSchema, `${readSchema}__rebuild`, `${readSchema}__old`);
  const store = await backend.createStore(testRegistry, { schema });
  const definition = balancesProjection({ name: "balances", schema: readSchema, ...projection });
  const engines: { close(): Promise<void> }[] = [];
  const engine = async (options: Partial<ProjectionEngineOptions<typeof testRegistry>> = {}) => {
    const created = await createProjectionEngine({
      database: backend.database(),
      schema,
      registry: testRegistry,
      projections: [definition],
      leaseMs: 2_000,
      pollMs: 200,
      backoff: { initialMs: 5, maxMs: 20 },
      ...options,
    });
    engines.push(created);
    return created;
  };
  const balances = () => readBalances((text) => backend.query(text), readSchema);
  const close = async () => {
    for (const created of engines) await created.close();
  };
  return { store, schema, readSchema, definition, engine, balances, close };
}

