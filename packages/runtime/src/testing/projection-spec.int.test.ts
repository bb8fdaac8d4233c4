import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { defineProjection } from "../projections/projection.js";
import { balancesProjection } from "../projections/balances.fixture.js";
import { projectionSpec } from "./projection-spec.js";

interface AccountsDb {
  accounts: { account: string; last_deposit: number | null; closed: boolean };
}

/** Idempotent: every write sets a value that depends only on the event. */
const accounts = defineProjection<typeof testRegistry, "AccountOpened" | "MoneyDeposited" | "AccountClosed", AccountsDb>(testRegistry, {
  name: "accounts",
  version: 1,
  handles: ["AccountOpened", "MoneyDeposited", "AccountClosed"],
  migrations: {
    "001": {
      up: async (db) => {
        await db.schema.createTable("accounts").addColumn("account", "text", (c) => c.primaryKey()).addColumn("last_deposit", "integer").addColumn("closed", "boolean", (c) => c.notNull()).execute();
      },
    },
  },
  handle: async (events, { db }) => {
    for (const event of events) {
      if (event.type === "AccountOpened") await db.insertInto("accounts").values({ account: event.streamId, last_deposit: null, closed: false }).onConflict((c) => c.doNothing()).execute();
      else if (event.type === "MoneyDeposited") await db.updateTable("accounts").set({ last_deposit: event.data.amount }).where("account", "=", event.streamId).execute();
      else await db.updateTable("accounts").set({ closed: true }).where("account", "=", event.streamId).execute();
    }
  },
});

/** Not idempotent: counts deposits. */
const depositCount = defineProjection<typeof testRegistry, "MoneyDeposited", { counts: { account: string; n: number } }>(testRegistry, {
  name: "deposit-count",
  version: 1,
  handles: ["MoneyDeposited"],
  migrations: { "001": { up: async (db) => void (await db.schema.createTable("counts").addColumn("account", "text", (c) => c.primaryKey()).addColumn("n", "integer", (c) => c.notNull()).execute()) } },
  handle: async (events, { db }) => {
    for (const event of events) {
      await db.insertInto("counts").values({ account: event.streamId, n: 1 }).onConflict((c) => c.column("account").doUpdateSet((eb) => ({ n: eb("counts.n", "+", 1) }))).execute();
    }
  },
});

describe("projectionSpec", () => {
  // One PGlite for the file; the specs share it (each run uses fresh schemas).
  const pglite = new PGlite();
  const database = { kind: "pglite", instance: pglite } as const;
  const spec = projectionSpec(accounts, { database });
  const counting = projectionSpec(balancesProjection({ name: "balances", schema: "unused" }), { database });
  afterAll(async () => {
    await spec.close();
    await counting.close();
    await pglite.close();
  });

  it("runs given and when events, then hands the read model to the assertion", async () => {
    let seen: unknown;
    await spec
      .given([{ type: "AccountOpened", data: { owner: "Ada" }, streamId: "a" }])
      .when([{ type: "MoneyDeposited", data: { amount: 5, currency: "EUR" }, streamId: "a" }, { type: "AccountClosed", data: { reason: "done" }, streamId: "a" }])
      .then(async (db) => {
        seen = await db.selectFrom("accounts").selectAll().execute();
      });
    expect(seen).toEqual([{ account: "a", last_deposit: 5, closed: true }]);
  });

  it("fails a handler that is not idempotent, naming the projection", async () => {
    const outcome = counting
      .given([{ type: "AccountOpened", data: { owner: "Ada" }, streamId: "a" }])
      .when([{ type: "MoneyDeposited", data: { amount: 5, currency: "EUR" }, streamId: "a" }])
      .then(() => undefined);
    await expect(outcome).rejects.toThrow(/Projection "balances" is not idempotent: it threw when event #1 \(AccountOpened\) was applied a second time/);
  });

  it("fails a handler whose second application changes the read model", async () => {
    const outcome = projectionSpec(depositCount, { database })
      .given([{ type: "MoneyDeposited", data: { amount: 5, currency: "EUR" }, streamId: "a" }])
      .then(() => undefined);
    await expect(outcome).rejects.toThrow(/Projection "deposit-count" is not idempotent: applying each event twice/);
  });

  it("propagates the assertion's failure", async () => {
    const outcome = spec.given([{ type: "AccountOpened", data: { owner: "Ada" }, streamId: "a" }]).then(async (db) => {
      expect(await db.selectFrom("accounts").select("closed").execute()).toEqual([{ closed: true }]);
    });
    await expect(outcome).rejects.toThrow();
  });
});
