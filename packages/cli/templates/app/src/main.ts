/**
 * Appends an event and reads it back, on PGlite (default) or PostgreSQL (DATABASE_URL).
 * Personal data is encrypted with the key-encryption keys in STRATA_KEKS; without them a
 * development key is created in .strata-data/dev-keks.json (never use that one in production).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { createEventStore, LocalKekProvider } from "@strata/runtime";
import { database } from "./database.js";
import { shopRegistry } from "./events/shop/src/index.js";

function keks(): LocalKekProvider {
  if (process.env["STRATA_KEKS"] !== undefined || process.env["STRATA_KEKS_FILE"] !== undefined) return LocalKekProvider.fromEnv();
  const file = ".strata-data/dev-keks.json";
  if (!existsSync(file)) {
    mkdirSync(".strata-data", { recursive: true });
    writeFileSync(file, JSON.stringify({ current: "dev", keks: { dev: LocalKekProvider.generateKek() } }), { mode: 0o600 });
  }
  return LocalKekProvider.fromEnv({ STRATA_KEKS_FILE: file });
}

const store = await createEventStore({ registry: shopRegistry, database: database(), personalData: { kek: keks() } });
try {
  const customerId = randomUUID();
  await store.append(`customer-${customerId}`, [{ type: "CustomerRegistered", data: { customerId, name: "Ada Lovelace", email: "ada@example.com", tier: "gold" } }], { expectedVersion: "no_stream" });
  for await (const event of store.readStream(`customer-${customerId}`)) {
    console.log(`${event.streamId} v${event.version}: ${event.type} (schema v${event.schemaVersion})`);
  }
} finally {
  await store.close();
}
