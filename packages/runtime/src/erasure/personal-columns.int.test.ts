import { randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { afterAll, expect, it } from "vitest";
import { isCryptoError } from "../crypto/crypto-errors.js";
import { ERASED } from "../crypto/erased.js";
import { LocalKekProvider } from "../crypto/local-kek-provider.js";
import { createProjectionEngine } from "../projections/projection-engine.js";
import { defineProjection } from "../projections/projection.js";
import { describeEachBackend } from "../testing/backends.js";
import { createPersonalDataStore } from "./create-personal-data-store.js";
import type { PersonalColumns } from "./personal-columns.js";
import { piiRegistry } from "./personal-data.fixture.js";
import { rejection } from "../../test/fixtures/rejection.js";

type Db = Kysely<{ customers: { customer_id: string; name: string; email: string } }>;

describeEachBackend("encrypted read-model columns", (backend) => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("keep personal fields sealed with the subject's key: a dump reveals nothing, queries decrypt, erasure needs no scrub", async () => {
    const schema = backend.freshSchema();
    const readSchema = `rm_${randomBytes(5).toString("hex")}`;
    cleanup.push(readSchema, `${readSchema}__rebuild`, `${readSchema}__old`);
    const kek = new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" });
    const writer = await createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, kek, auditKey: randomBytes(32) });
    const suffix = randomBytes(4).toString("hex");
    const [ada, bob] = [randomUUID(), randomUUID()];
    const names = { [ada]: `Ada Lovelace ${suffix}`, [bob]: `Bob Babbage ${suffix}` };
    for (const id of [ada, bob]) {
      await writer.events.append(`customer-${id}`, [{ type: "CustomerRegistered", data: { customerId: id, profile: { name: names[id] ?? "", email: `${id}@example.org` }, tier: "gold" } }]);
    }
    await writer.close();

    // A fresh process: its key cache is cold, so sealing looks keys up inside the projection's transaction.
    const late: { columns?: PersonalColumns } = {};
    const place = (column: string, rowKey: string) => ({ table: "customers", column, rowKey });
    const directory = defineProjection(piiRegistry, {
      name: "sealed-directory",
      schema: readSchema,
      version: 1,
      handles: ["CustomerRegistered"],
      migrations: {
        "001": { up: (db: Kysely<unknown>) => db.schema.createTable("customers").addColumn("customer_id", "text", (c) => c.primaryKey()).addColumn("name", "text").addColumn("email", "text").execute() },
      },
      handle: async (events, { db }) => {
        const columns = late.columns;
        if (columns === undefined) throw new Error("columns not set");
        for (const event of events) {
          const id = event.data.customerId;
          const sealed = {
            name: await columns.seal(db as unknown as Kysely<unknown>, id, event.data.profile.name, place("name", id)),
            email: await columns.seal(db as unknown as Kysely<unknown>, id, event.data.profile.email, place("email", id)),
          };
          await (db as unknown as Db).insertInto("customers").values({ customer_id: id, ...sealed }).execute();
        }
      },
    });
    // The store is told which projections handle erasure: this one does not need to.
    const store = await createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, kek, auditKey: randomBytes(32), erasureHandlers: [directory] });
    late.columns = store.personalColumns;
    const engine = await createProjectionEngine({ database: backend.database(), schema, registry: piiRegistry, projections: [directory], personalData: { kek }, pollMs: 50, leaseMs: 2_000 });
    await engine.catchUp();

    const rows = await backend.query<{ customer_id: string; name: string; email: string }>(`SELECT * FROM "${readSchema}".customers ORDER BY customer_id`);
    const dump = JSON.stringify(rows);
    for (const id of [ada, bob]) {
      const name = names[id] ?? "";
      for (const form of [name, Buffer.from(name).toString("base64"), Buffer.from(name).toString("hex"), `${id}@example.org`]) expect(dump).not.toContain(form);
    }
    const open = store.personalColumns;
    const read = async (row: { customer_id: string; name: string; email: string }) => ({
      name: await open.open(row.name, place("name", row.customer_id)),
      email: await open.open(row.email, place("email", row.customer_id)),
    });
    const adaRow = rows.find((row) => row.customer_id === ada);
    const bobRow = rows.find((row) => row.customer_id === bob);
    if (adaRow === undefined || bobRow === undefined) throw new Error("rows missing");
    expect(await read(adaRow)).toEqual({ name: names[ada], email: `${ada}@example.org` });

    // Bound to its row and column: moved elsewhere, it does not open.
    expect(isCryptoError(await rejection(open.open(adaRow.name, place("name", bob))), "DECRYPTION_FAILED")).toBe(true);
    expect(isCryptoError(await rejection(open.open(adaRow.name, place("email", ada))), "DECRYPTION_FAILED")).toBe(true);

    // Erasure: no projection handles it, nothing is scrubbed, and the columns read as erased.
    const result = await store.erase(ada, { reason: "ticket 5", requestedBy: "dpo" });
    expect(result.places.some((p) => p.place.startsWith("projection:"))).toBe(false);
    expect(await read(adaRow)).toEqual({ name: ERASED, email: ERASED });
    expect(await read(bobRow)).toEqual({ name: names[bob], email: `${bob}@example.org` });

    // A rebuild after erasure stores the marker for the erased subject.
    await engine.rebuild("sealed-directory");
    await engine.catchUp();
    const rebuilt = await backend.query<{ customer_id: string; name: string }>(`SELECT customer_id, name FROM "${readSchema}".customers WHERE customer_id = $1`, [ada]);
    expect(rebuilt[0]?.name).toBe('{"$erased":true}');
    await engine.close();
    await store.close();
  });
});
