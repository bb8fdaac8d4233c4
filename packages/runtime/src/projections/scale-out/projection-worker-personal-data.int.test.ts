/**
 * Scaled-out workers over a store with crypto-shredded personal data: with the store's
 * `personalData` settings, handlers receive personal fields decrypted, and an erased subject's
 * fields as the erased marker, as the single-runner engine gives them. Server only, like the
 * other worker tests.
 */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { isErased } from "../../crypto/erased.js";
import { LocalKekProvider } from "../../crypto/local-kek-provider.js";
import { createPersonalDataStore } from "../../erasure/create-personal-data-store.js";
import { piiRegistry } from "../../erasure/personal-data.fixture.js";
import { defineProjection } from "../projection.js";
import { createProjectionWorker } from "./projection-worker.js";

const url = process.env["DATABASE_URL"];

describe.skipIf(url === undefined || url === "")("scaled-out projection workers with personal data [postgres]", () => {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it("hands handlers decrypted fields, and the erased marker for an erased subject", async () => {
    const tag = randomBytes(5).toString("hex");
    const schema = `strata_test_${tag}`;
    schemas.push(schema);
    const kek = new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" });
    const store = await createPersonalDataStore({ registry: piiRegistry, database: { kind: "postgres", pool }, schema, kek, auditKey: randomBytes(32) });
    const [ada, bob] = [randomUUID(), randomUUID()];
    for (const [id, name] of [[ada, "Ada Lovelace"], [bob, "Bob Babbage"]] as const) {
      await store.events.append(`customer-${id}`, [{ type: "CustomerRegistered", data: { customerId: id, profile: { name, email: `${id}@example.org` }, tier: "gold" } }]);
    }
    await store.erase(bob, { reason: "ticket 7", requestedBy: "dpo" });
    const seen = new Map<string, unknown>();
    const names = defineProjection(piiRegistry, {
      name: "names",
      schema: `rm_${tag}`,
      version: 1,
      handles: ["CustomerRegistered"],
      migrations: {},
      handle: (events) => {
        for (const event of events) seen.set(event.data.customerId, event.data.profile.name);
        return Promise.resolve();
      },
    });
    schemas.push(`rm_${tag}`);
    const worker = createProjectionWorker({ database: { kind: "postgres", connectionString: url ?? "", poolSize: 3 }, schema, registry: piiRegistry, projection: names, partitions: 2, personalData: { kek } });
    try {
      await worker.start();
      const deadline = Date.now() + 60_000;
      while (seen.size < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen.get(ada)).toBe("Ada Lovelace");
      expect(isErased(seen.get(bob))).toBe(true);
    } finally {
      await worker.close();
      await store.close();
    }
  }, 120_000);
});
