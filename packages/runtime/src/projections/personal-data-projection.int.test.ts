import { randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { afterAll, expect, it } from "vitest";
import { ERASED, isErased } from "../crypto/erased.js";
import { LocalKekProvider } from "../crypto/local-kek-provider.js";
import { createPersonalDataStore } from "../erasure/create-personal-data-store.js";
import { piiRegistry } from "../erasure/personal-data.fixture.js";
import { scrubSubjectRows } from "../erasure/scrub-subject-rows.js";
import { SUBJECT_ERASED_EVENT_TYPE } from "../erasure/system-events.js";
import { describeEachBackend } from "../testing/backends.js";
import { defineProjection } from "./projection.js";
import { createProjectionEngine } from "./projection-engine.js";

const TTL_MS = 60_000;

describeEachBackend("projections over a store with personal data", (backend) => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("receive plaintext, then ERASED after an erasure, and scrub the subject's rows on $strata.SubjectErased", async () => {
    const schema = backend.freshSchema();
    const readSchema = `rm_${randomBytes(5).toString("hex")}`;
    cleanup.push(readSchema, `${readSchema}__rebuild`, `${readSchema}__old`);
    const kek = new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" });
    const store = await createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, kek, auditKey: randomBytes(32) });
    const suffix = randomBytes(4).toString("hex");
    const ada = { id: randomUUID(), name: `Ada Lovelace ${suffix}`, email: `ada.${suffix}@example.org` };
    const bob = { id: randomUUID(), name: `Bob Babbage ${suffix}`, email: `bob.${suffix}@example.org` };
    for (const someone of [ada, bob]) {
      await store.events.append(`customer-${someone.id}`, [{ type: "CustomerRegistered", data: { customerId: someone.id, profile: { name: someone.name, email: someone.email }, tier: "gold" } }]);
    }

    const received: { type: string; data: unknown }[] = [];
    const customers = defineProjection(piiRegistry, {
      name: "customers",
      schema: readSchema,
      version: 1,
      handles: ["CustomerRegistered", SUBJECT_ERASED_EVENT_TYPE],
      migrations: {
        "001": { up: (db: Kysely<unknown>) => db.schema.createTable("customers").addColumn("customer_id", "text", (c) => c.primaryKey()).addColumn("name", "text").addColumn("email", "text").execute() },
      },
      handle: async (events, { db, schema: target }) => {
        for (const event of events) {
          received.push({ type: event.type, data: event.data });
          if (event.type === SUBJECT_ERASED_EVENT_TYPE) {
            await scrubSubjectRows(db, { table: `${target}.customers`, subjectColumn: "customer_id", subjectId: event.data.subjectId, mode: "mark-erased", piiColumns: ["name", "email"] });
          } else {
            const { name, email } = event.data.profile;
            const text = (value: unknown) => (isErased(value) ? JSON.stringify(ERASED) : String(value));
            await (db as unknown as Kysely<{ customers: { customer_id: string; name: string; email: string } }>)
              .insertInto("customers").values({ customer_id: event.data.customerId, name: text(name), email: text(email) }).execute();
          }
        }
      },
    });
    let now = 1_000; // lru-cache treats a start time of 0 as "never stale"
    const engine = await createProjectionEngine({
      database: backend.database(),
      schema,
      registry: piiRegistry,
      projections: [customers],
      personalData: { kek, cache: { ttlMs: TTL_MS, clock: { now: () => now } } },
      pollMs: 100,
      leaseMs: 2_000,
    });
    const dump = async () => (await backend.query<{ row: string }>(`SELECT t::text AS row FROM "${readSchema}".customers t`)).map((r) => r.row).join("\n");

    await engine.catchUp();
    expect(received.map((event) => event.data)).toEqual([
      { customerId: ada.id, profile: { name: ada.name, email: ada.email }, tier: "gold" },
      { customerId: bob.id, profile: { name: bob.name, email: bob.email }, tier: "gold" },
    ]);
    expect(await dump()).toContain(ada.email);

    await store.erase(ada.id, { reason: "GDPR Art. 17", requestedBy: "dpo" });
    // The engine's own key cache forgets Ada's key at its TTL (another process erased her).
    now += TTL_MS + 1;
    received.length = 0;
    await engine.catchUp();
    expect(received).toEqual([{ type: SUBJECT_ERASED_EVENT_TYPE, data: expect.objectContaining({ subjectId: ada.id }) }]);
    // The live read model is scrubbed by the handler, in the checkpoint's transaction.
    expect(await dump()).not.toContain(ada.email);
    expect(await dump()).not.toContain(ada.name);

    // A rebuild replays Ada's event: her fields arrive as ERASED, Bob's in clear.
    received.length = 0;
    await engine.rebuild("customers");
    await engine.catchUp();
    expect(received.filter((event) => event.type === "CustomerRegistered").map((event) => event.data)).toEqual([
      { customerId: ada.id, profile: { name: ERASED, email: ERASED }, tier: "gold" },
      { customerId: bob.id, profile: { name: bob.name, email: bob.email }, tier: "gold" },
    ]);

    const rows = await dump();
    for (const value of [ada.name, ada.email]) {
      for (const form of [value, Buffer.from(value).toString("base64"), Buffer.from(value).toString("hex")]) expect(rows).not.toContain(form);
    }
    expect(rows).toContain(bob.email); // the scan sees plaintext where there is some
    expect(rows).toContain(ada.id);
    await engine.close();
    await store.close();
  });
});
