import { randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { afterAll, expect, it } from "vitest";
import { ERASED, isErased } from "../crypto/erased.js";
import { LocalKekProvider } from "../crypto/local-kek-provider.js";
import { createProjectionEngine } from "../projections/projection-engine.js";
import { defineProjection } from "../projections/projection.js";
import { describeEachBackend } from "../testing/backends.js";
import { createPersonalDataStore } from "./create-personal-data-store.js";
import { piiRegistry } from "./personal-data.fixture.js";
import { scrubSubjectRows } from "./scrub-subject-rows.js";
import { SUBJECT_ERASED_EVENT_TYPE } from "./system-events.js";

describeEachBackend("erasure completes only when every place is done", (backend) => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("stays pending while a poisoned projection is stopped, says which place is left, and completes by itself once it is fixed", async () => {
    const schema = backend.freshSchema();
    const readSchema = `rm_${randomBytes(5).toString("hex")}`;
    cleanup.push(readSchema, `${readSchema}__rebuild`, `${readSchema}__old`);
    const kek = new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" });
    let poisoned = true;
    const directory = defineProjection(piiRegistry, {
      name: "customer-directory",
      schema: readSchema,
      version: 1,
      handles: ["CustomerRegistered", SUBJECT_ERASED_EVENT_TYPE],
      migrations: {
        "001": { up: (db: Kysely<unknown>) => db.schema.createTable("customers").addColumn("customer_id", "text", (c) => c.primaryKey()).addColumn("name", "text").execute() },
      },
      handle: async (events, { db, schema: target }) => {
        for (const event of events) {
          if (event.type === SUBJECT_ERASED_EVENT_TYPE) {
            await scrubSubjectRows(db, { table: `${target}.customers`, subjectColumn: "customer_id", subjectId: event.data.subjectId, mode: "mark-erased", piiColumns: ["name"] });
            continue;
          }
          const name = event.data.profile.name;
          if (poisoned && typeof name === "string" && name.startsWith("Poison")) throw new TypeError("cannot index this name");
          await (db as unknown as Kysely<{ customers: { customer_id: string; name: string } }>)
            .insertInto("customers")
            .values({ customer_id: event.data.customerId, name: isErased(name) ? JSON.stringify(ERASED) : name })
            .execute();
        }
      },
    });
    const store = await createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, kek, auditKey: randomBytes(32), erasureHandlers: [directory] });
    const engine = await createProjectionEngine({ database: backend.database(), schema, registry: piiRegistry, projections: [directory], personalData: { kek }, pollMs: 50, leaseMs: 2_000, maxAttempts: 1 });
    const [ada, eve] = [randomUUID(), randomUUID()];
    await store.events.append(`customer-${ada}`, [{ type: "CustomerRegistered", data: { customerId: ada, profile: { name: "Ada Lovelace", email: "ada@example.org" }, tier: "gold" } }]);
    await store.events.append(`customer-${eve}`, [{ type: "CustomerRegistered", data: { customerId: eve, profile: { name: "Poison Pill", email: "eve@example.org" }, tier: "gold" } }]);
    await expect(engine.catchUp()).rejects.toThrow(/customer-directory/);

    const first = await store.erase(ada, { reason: "ticket 1", requestedBy: "dpo" });
    expect(first.status).toBe("failed");
    expect(first.places.map((place) => place.place)).toEqual(["data-key", "snapshots", "key-table", "projection:customer-directory"]);
    expect(first.places).toEqual(
      expect.arrayContaining([
        { place: "data-key", status: "done", detail: "deleted now" },
        { place: "snapshots", status: "done", detail: "0 deleted" },
        { place: "projection:customer-directory", status: "failed", detail: expect.stringMatching(/^stopped on event [0-9a-f-]+ \(CustomerRegistered\): TypeError/) },
      ]),
    );
    expect(JSON.stringify(first)).not.toContain("Ada");
    const audit = async () => backend.query<{ outcome: string | null; completed: boolean }>(`SELECT outcome, completed_at IS NOT NULL AS completed FROM "${schema}".erasure_audit ORDER BY audit_id`);
    expect(await audit()).toEqual([{ outcome: null, completed: false }]);
    // The directory still holds her name: that is exactly what "failed" says.
    expect(JSON.stringify(await backend.query(`SELECT * FROM "${readSchema}".customers`))).toContain("Ada Lovelace");

    // A rerun is idempotent: no second event, same places, still not complete.
    const rerun = await store.erase(ada, { reason: "ticket 1", requestedBy: "dpo" });
    expect(rerun.status).toBe("failed");
    expect(rerun.eventId).toBeUndefined();
    expect(await backend.query(`SELECT count(*)::int AS n FROM "${schema}".events WHERE type = $1`, [SUBJECT_ERASED_EVENT_TYPE])).toEqual([{ n: 1 }]);
    expect((await store.waitForErasure(ada, { timeoutMs: 200, pollMs: 50 }))?.status).toBe("failed");
    expect(await store.completePendingErasures()).toEqual([]);

    // Fixed: the projection goes on, applies the erasure event, and the sweep completes both requests.
    poisoned = false;
    await engine.retry("customer-directory");
    await engine.catchUp();
    // (On a shared server the key table's compaction may wait for another session's old transaction.)
    await expect
      .poll(
        async () => {
          await store.completePendingErasures();
          return (await audit()).every((row) => row.completed);
        },
        { timeout: 150_000, interval: 200 },
      )
      .toBe(true);
    expect(await audit()).toEqual([
      { outcome: "erased", completed: true },
      { outcome: "erased", completed: true },
    ]);
    const done = await store.erasureStatus(ada);
    expect(done?.status).toBe("erased");
    expect(done?.places.every((place) => place.status === "done")).toBe(true);
    expect(JSON.stringify(await backend.query(`SELECT * FROM "${readSchema}".customers`))).not.toContain("Ada Lovelace");
    expect((await store.erase(ada, { reason: "ticket 1", requestedBy: "dpo" })).status).toBe("already-erased");
    await engine.close();
    await store.close();
  }, 180_000);

  it("reports pending while a projection is behind, and waitFor returns erased once it caught up", async () => {
    const schema = backend.freshSchema();
    const kek = new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" });
    const store = await createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, kek, auditKey: randomBytes(32) });
    const applied: string[] = [];
    const sink = { name: "sink", kind: "subscription" as const };
    const engine = await createProjectionEngine({
      database: backend.database(),
      schema,
      registry: piiRegistry,
      subscriptions: [{ ...sink, handles: [SUBJECT_ERASED_EVENT_TYPE], handle: async (events: readonly { type: string }[]) => void applied.push(...events.map((event) => event.type)) }],
      personalData: { kek },
      pollMs: 50,
      leaseMs: 2_000,
    } as never);
    await engine.catchUp();
    const ada = randomUUID();
    await store.events.append(`customer-${ada}`, [{ type: "CustomerRegistered", data: { customerId: ada, profile: { name: "Ada", email: "a@x" }, tier: "gold" } }]);
    const pending = await store.erase(ada, { reason: "ticket 2", requestedBy: "dpo" });
    expect(pending.status).toBe("pending");
    expect(pending.places.find((place) => place.place === "subscription:sink")).toEqual({ place: "subscription:sink", status: "pending", detail: "has not reached the erasure event yet" });
    const waited = store.waitForErasure(ada, { timeoutMs: 30_000, pollMs: 50 });
    await engine.catchUp();
    expect((await waited)?.status).toBe("erased");
    expect(applied).toEqual([SUBJECT_ERASED_EVENT_TYPE]);
    await engine.close();
    await store.close();
  });
});
