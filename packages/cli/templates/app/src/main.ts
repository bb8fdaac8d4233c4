/**
 * `npm start -- <customer id>`: registers the customer (once) and reads the stream back, on PGlite
 * in .strata-data/ (default) or PostgreSQL (DATABASE_URL). Personal data is encrypted with the
 * key-encryption keys of STRATA_KEKS / STRATA_KEKS_FILE; without them a development key file
 * .strata-dev-keks.json is created (never use that one in production).
 */
import { existsSync, writeFileSync } from "node:fs";
import { createEventStore, isErased, LocalKekProvider } from "@strata/runtime";
import { database } from "./database.js";
import { shopRegistry } from "./events/shop/src/index.js";

function keks(): LocalKekProvider {
  if (process.env["STRATA_KEKS"] !== undefined || process.env["STRATA_KEKS_FILE"] !== undefined) return LocalKekProvider.fromEnv();
  const file = ".strata-dev-keks.json";
  if (!existsSync(file)) writeFileSync(file, JSON.stringify({ current: "dev", keks: { dev: LocalKekProvider.generateKek() } }), { mode: 0o600 });
  return LocalKekProvider.fromEnv({ STRATA_KEKS_FILE: file });
}

const customerId = process.argv[2] ?? "c-1";
const streamId = `customer-${customerId}`;
const store = await createEventStore({ registry: shopRegistry, database: database(), personalData: { kek: keks() } });
try {
  if ((await store.streamVersion(streamId)) === undefined) {
    await store.append(streamId, [{ type: "CustomerRegistered", data: { customerId, name: "Ada Lovelace", email: "ada@example.com", tier: "gold" } }], { expectedVersion: "no_stream" });
  }
  for await (const event of store.readStream(streamId)) {
    // Personal data never goes to a log line: say whether the email is there, not what it is.
    const { email } = event.data;
    console.log(`${event.streamId} v${event.version}: ${event.type} (stored as v${event.storedSchemaVersion}, read as v${event.schemaVersion}), email ${isErased(email) ? "ERASED" : "present"}`);
  }
} finally {
  await store.close();
}
