import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { isStrataError } from "../errors.js";
import { createEventStore } from "../store/create-event-store.js";
import type { EventStore } from "../store/event-store.js";
import type { RegistryEvent } from "../registry.js";
import { describeEachBackend } from "../testing/backends.js";
import { balancesProjection, foldBalances, readBalances } from "./balances.fixture.js";
import type { BalancesOptions } from "./balances.fixture.js";
import { deposit, opened } from "./engine-setup.fixture.js";
import { InlineProjectionFailedError } from "./projection-errors.js";

describeEachBackend("inline projections", (backend) => {
  const cleanup: string[] = [];
  const stores: EventStore<RegistryEvent<typeof testRegistry>>[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  const open = async (options: Omit<BalancesOptions, "name" | "schema"> = {}) => {
    const schema = backend.freshSchema();
    const readSchema = `rm_${randomBytes(5).toString("hex")}`;
    cleanup.push(readSchema);
    const projection = balancesProjection({ name: "balances", schema: readSchema, ...options });
    const store = await createEventStore({ registry: testRegistry, database: backend.database(), schema, inlineProjections: [projection] });
    stores.push(store);
    return { store, schema, balances: () => readBalances((text) => backend.query(text), readSchema) };
  };

  it("keep the read model consistent with the events as soon as append and appendMany return", async () => {
    const t = await open();
    await t.store.append("a", [opened, deposit(5)]);
    expect(await t.balances()).toEqual([{ account: "a", amount: 5, deposits: 1, closed: false }]);
    await t.store.appendMany([{ streamId: "b", events: [opened, deposit(2)] }, { streamId: "a", events: [deposit(3)] }]);
    expect(await t.balances()).toEqual(await foldBalances(t.store as unknown as EventStore));
    expect(await t.balances()).toEqual([{ account: "a", amount: 8, deposits: 2, closed: false }, { account: "b", amount: 2, deposits: 1, closed: false }]);
  });

  it("apply a retried append (same event ids) once", async () => {
    const t = await open();
    const events = [{ ...opened, id: randomUUID() }, { ...deposit(4), id: randomUUID() }];
    const first = await t.store.append("a", events);
    const again = await t.store.append("a", events);
    expect(again.events.map((event) => event.globalPosition)).toEqual(first.events.map((event) => event.globalPosition));
    // The fixture's ledger has the event id as primary key: a second application would fail the append.
    expect(await t.balances()).toEqual([{ account: "a", amount: 4, deposits: 1, closed: false }]);
  });

  it("roll the append back with a typed error when the handler throws: no event, no stream move, no read-model change", async () => {
    const t = await open({ failOn: (_id, amount) => amount === 13 });
    await t.store.append("a", [opened, deposit(1)]);
    const failure = await t.store.append("a", [deposit(2), deposit(13)]).then(() => undefined, (error: unknown) => error);
    expect(isStrataError(failure, "PROJECTION_FAILED")).toBe(true);
    expect(failure).toBeInstanceOf(InlineProjectionFailedError);
    expect(failure).toMatchObject({ projection: "balances", streamId: "a" });
    expect((failure as Error).cause).toBeInstanceOf(TypeError);
    expect(await t.store.streamVersion("a")).toBe(2);
    const stored = await backend.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${t.schema}".events`);
    expect(stored[0]?.n).toBe("2");
    expect(await t.balances()).toEqual([{ account: "a", amount: 1, deposits: 1, closed: false }]);
    await expect(t.store.appendMany([{ streamId: "b", events: [opened] }, { streamId: "a", events: [deposit(13)] }])).rejects.toMatchObject({ code: "PROJECTION_FAILED" });
    expect(await t.store.streamVersion("b")).toBeUndefined();
    // The store stays usable.
    await t.store.append("a", [deposit(3)]);
    expect(await t.balances()).toEqual([{ account: "a", amount: 4, deposits: 2, closed: false }]);
  });
});
