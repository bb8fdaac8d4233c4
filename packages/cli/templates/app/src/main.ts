/**
 * `npm start -- <customer id>`: registers the customer (once), reads the stream back, then brings
 * the read models of strata.config.ts up to date, on PGlite in .strata-data/ (default) or
 * PostgreSQL (DATABASE_URL). Personal data is encrypted with the key-encryption keys of
 * STRATA_KEKS / STRATA_KEKS_FILE; without them a development key file .strata-dev-keks.json is
 * created (never use that one in production).
 */
import { existsSync, writeFileSync } from "node:fs";
import { createEventStore, createProjectionEngine, isErased, LocalKekProvider } from "@strata/runtime";
import { customerList } from "./customer-list.js";
import { openDatabase } from "./database.js";
import { shopRegistry } from "./events/shop/src/index.js";

function keks(): LocalKekProvider {
  if (process.env["STRATA_KEKS"] !== undefined || process.env["STRATA_KEKS_FILE"] !== undefined) return LocalKekProvider.fromEnv();
  const file = ".strata-dev-keks.json";
  if (!existsSync(file)) writeFileSync(file, JSON.stringify({ current: "dev", keks: { dev: LocalKekProvider.generateKek() } }), { mode: 0o600 });
  return LocalKekProvider.fromEnv({ STRATA_KEKS_FILE: file });
}

const customerId = process.argv[2] ?? "c-1";
const streamId = `customer-${customerId}`;
const db = await openDatabase();
const store = await createEventStore({ registry: shopRegistry, database: db.config, personalData: { kek: keks() } });
// The projections of strata.config.ts, on the same database. A long-running service calls
// `projections.start()` (catch up, then follow every append); this short program catches up once.
const projections = await createProjectionEngine({ database: db.config, registry: shopRegistry, projections: [customerList] });
try {
  if ((await store.streamVersion(streamId)) === undefined) {
    await store.append(streamId, [{ type: "CustomerRegistered", data: { customerId, name: "Ada Lovelace", email: "ada@example.com", tier: "gold" } }], { expectedVersion: "no_stream" });
  }
  for await (const event of store.readStream(streamId)) {
    // Personal data never goes to a log line: say whether the email is there, not what it is.
    const { email } = event.data;
    console.log(`${event.streamId} v${event.version}: ${event.type} (stored as v${event.storedSchemaVersion}, read as v${event.schemaVersion}), email ${isErased(email) ? "ERASED" : "present"}`);
  }
  await projections.catchUp();
  for (const status of await projections.status()) {
    console.log(`projection ${status.name}: ${status.state}, ${status.lagEvents} event(s) behind, at position ${status.position ?? "-"}`);
  }
} finally {
  await projections.close();
  await store.close();
  await db.close();
}
