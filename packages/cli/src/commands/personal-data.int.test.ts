import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { createPersonalDataStore, defineRegistry, LocalKekProvider } from "@strata/runtime";
import type { EventTypeSpec } from "@strata/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { main } from "../main.js";
import type { CommandIo } from "./command.js";

function captureIo(cwd = process.cwd()): { io: CommandIo; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const io: CommandIo = { cwd, stdout: (text) => void (out += text), stderr: (text) => void (err += text), stderrIsTty: false, signal: new AbortController().signal };
  return { io, out: () => out, err: () => err };
}

// The CLI reads no registry; this one only writes test events. Validation is not under test here.
const accept = { safeParse: (input: unknown) => ({ success: true as const, data: input }) };
const contactSpec: EventTypeSpec = {
  type: "ContactAdded",
  latestVersion: 1,
  versions: { 1: { version: 1, validator: accept, pii: [{ path: "/email", subject: "/personId" }] } },
  upcasters: [],
};
const registry = defineRegistry<{ readonly type: "ContactAdded"; readonly data: { personId: string; email: string } }>({ context: "cli-test", events: { ContactAdded: contactSpec } });

describe("strata erase, export-subject and keys rotate-kek", () => {
  let dataDir = "";
  const saved = { ...process.env };
  const v1 = randomBytes(32).toString("base64");
  const person = { id: randomUUID(), email: `grace.${randomBytes(3).toString("hex")}@example.org` };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "strata-erase-"));
    delete process.env["DATABASE_URL"];
    delete process.env["STRATA_KEKS_FILE"];
    process.env["STRATA_KEKS"] = `v1:${v1}`;
    process.env["STRATA_ERASURE_AUDIT_KEY"] = randomBytes(32).toString("base64");
    const store = await createPersonalDataStore({ registry, database: { kind: "pglite", dataDir }, kek: LocalKekProvider.fromEnv() });
    await store.events.append("contacts", [{ type: "ContactAdded", data: { personId: person.id, email: person.email } }]);
    await store.close();
  });
  afterAll(async () => {
    process.env = saved;
    await rm(dataDir, { recursive: true, force: true });
  });

  it("reports a pending erasure with the place left and exit 3, waits with --wait --timeout, and completes once the projection passed the event", async () => {
    const someone = randomUUID();
    const store = await createPersonalDataStore({ registry, database: { kind: "pglite", dataDir }, kek: LocalKekProvider.fromEnv() });
    await store.events.append("contacts-2", [{ type: "ContactAdded", data: { personId: someone, email: "x@example.org" } }]);
    await store.close();
    const pglite = await PGlite.create(dataDir);
    // A projection the store's bookkeeping lists, not run yet (the CLI waits for every listed one).
    await pglite.query(`INSERT INTO strata.projections (name, kind, version) VALUES ('directory', 'projection', 1)`);
    await pglite.close();
    const pending = captureIo();
    expect(await main(["erase", someone, "--reason", "ticket 10", "--data-dir", dataDir, "--wait", "--timeout", "0.2"], pending.io)).toBe(3);
    expect(pending.out()).toContain("erase: pending; the data key is deleted, but not every place is done");
    expect(pending.out()).toContain("  projection:directory: pending (has not reached the erasure event yet)");
    expect(pending.out()).not.toContain(someone);
    const moved = await PGlite.create(dataDir);
    await moved.query(`UPDATE strata.projections SET checkpoint = (SELECT transaction_id::text || ':' || global_position::text FROM strata.events ORDER BY transaction_id DESC, global_position DESC LIMIT 1)`);
    await moved.close();
    const rerun = captureIo();
    expect(await main(["erase", someone, "--reason", "ticket 10", "--data-dir", dataDir, "--json"], rerun.io)).toBe(0);
    expect(JSON.parse(rerun.out())).toMatchObject({ status: "erased", places: expect.arrayContaining([{ place: "projection:directory", status: "done" }]) });
    const cleanup = await PGlite.create(dataDir);
    await cleanup.query(`DELETE FROM strata.projections`);
    await cleanup.close();
  });

  it("takes the database and the places from strata.config: only projections handling $strata.SubjectErased are waited for", async () => {
    const app = await mkdtemp(path.join(tmpdir(), "strata-erase-config-"));
    const [plain, scrubbed] = [randomUUID(), randomUUID()];
    try {
      const store = await createPersonalDataStore({ registry, database: { kind: "pglite", dataDir }, kek: LocalKekProvider.fromEnv() });
      await store.events.append("contacts-3", [
        { type: "ContactAdded", data: { personId: plain, email: "p@example.org" } },
        { type: "ContactAdded", data: { personId: scrubbed, email: "s@example.org" } },
      ]);
      await store.close();
      const pglite = await PGlite.create(dataDir);
      // Listed by the store's bookkeeping and never run: without a config it keeps erasures pending.
      await pglite.query(`INSERT INTO strata.projections (name, kind, version) VALUES ('directory', 'projection', 1)`);
      await pglite.close();
      const config = (projections: string) => `export default { database: { kind: "pglite", dataDir: ${JSON.stringify(dataDir)} }, registry: {}, projections: ${projections} };\n`;
      // strata.config.mjs in the current directory names the database; "directory" keeps no personal data, so it is no place.
      await writeFile(path.join(app, "strata.config.mjs"), config(`[{ name: "directory", kind: "projection", handles: ["ContactAdded"] }]`));
      const done = captureIo(app);
      expect(await main(["erase", plain, "--reason", "ticket 11", "--json"], done.io)).toBe(0);
      const result = JSON.parse(done.out()) as { status: string; places: { place: string }[] };
      expect(result.status).toBe("erased");
      expect(result.places.map((place) => place.place)).not.toContain("projection:directory");
      // A read model that scrubs on $strata.SubjectErased is a place until its runner passed the event.
      await writeFile(path.join(app, "scrubbing.config.mjs"), config(`[{ name: "scrubber", kind: "projection", handles: ["ContactAdded", "$strata.SubjectErased"] }]`));
      const pending = captureIo(app);
      expect(await main(["erase", scrubbed, "--reason", "ticket 12", "--config", "scrubbing.config.mjs"], pending.io)).toBe(3);
      expect(pending.out()).toContain("  projection:scrubber: pending (has not started yet)");
      expect(pending.out()).not.toContain("directory");
      // Database options leave the config alone (it could open the same PGlite directory): the safe side.
      const explicit = captureIo(app);
      expect(await main(["erase", scrubbed, "--reason", "ticket 12", "--data-dir", dataDir], explicit.io)).toBe(3);
      expect(explicit.out()).toContain("  projection:directory: pending");
      const both = captureIo(app);
      expect(await main(["erase", scrubbed, "--reason", "ticket 12", "--data-dir", dataDir, "--config", "scrubbing.config.mjs"], both.io)).toBe(2);
      expect(both.err()).toContain("pass either --config");
      const missing = captureIo(app);
      expect(await main(["erase", scrubbed, "--reason", "ticket 12", "--config", "missing.mjs"], missing.io)).toBe(2);
      expect(missing.err()).toContain("config file missing.mjs not found");
    } finally {
      const cleanup = await PGlite.create(dataDir);
      await cleanup.query(`DELETE FROM strata.projections`);
      await cleanup.close();
      await rm(app, { recursive: true, force: true });
    }
  });

  it("exports a subject's fields, erases the subject once, and exports nothing afterwards", async () => {
    const before = captureIo(dataDir);
    expect(await main(["export-subject", person.id, "--data-dir", dataDir, "--out", "export.json"], before.io)).toBe(0);
    const exported = JSON.parse(await readFile(path.join(dataDir, "export.json"), "utf8")) as { fields: { type: string; path: string; value: unknown }[] };
    expect(exported.fields.map((field) => [field.type, field.path, field.value])).toEqual([["ContactAdded", "/email", person.email]]);

    const erase = captureIo();
    expect(await main(["erase", person.id, "--reason", "GDPR Art. 17, ticket 9", "--requested-by", "dpo", "--data-dir", dataDir, "--json"], erase.io)).toBe(0);
    expect(JSON.parse(erase.out())).toMatchObject({ status: "erased", snapshotsDeleted: 0 });
    const again = captureIo();
    expect(await main(["erase", person.id, "--reason", "repeat", "--data-dir", dataDir], again.io)).toBe(0);
    expect(again.out()).toContain("already erased");
    expect(again.out()).not.toContain(person.id);
    const unknown = captureIo();
    expect(await main(["erase", randomUUID(), "--reason", "typo", "--data-dir", dataDir], unknown.io)).toBe(0);
    expect(unknown.out()).toContain("no personal data is stored for this subject id");

    const after = captureIo();
    expect(await main(["export-subject", person.id, "--data-dir", dataDir], after.io)).toBe(0);
    expect((JSON.parse(after.out()) as { fields: unknown[] }).fields).toEqual([]);
  });

  it("re-wraps every data key with a new KEK, then finds nothing left to do", async () => {
    const other = randomUUID();
    const store = await createPersonalDataStore({ registry, database: { kind: "pglite", dataDir }, kek: LocalKekProvider.fromEnv() });
    await store.events.append("contacts", [{ type: "ContactAdded", data: { personId: other, email: "x@example.org" } }]);
    await store.close();
    process.env["STRATA_KEKS"] = `v1:${v1},v2:${randomBytes(32).toString("base64")}`;
    const first = captureIo();
    expect(await main(["keys", "rotate-kek", "--data-dir", dataDir, "--json"], first.io)).toBe(0);
    expect(JSON.parse(first.out())).toEqual({ toKekId: "v2", scanned: 1, rewrapped: 1, alreadyCurrent: 0, skipped: 0 });
    const second = captureIo();
    expect(await main(["keys", "rotate-kek", "--data-dir", dataDir], second.io)).toBe(0);
    expect(second.out()).toContain('wrapped by "v2": 0 re-wrapped, 1 already current');
  });

  it("reports usage errors and missing configuration without a crash", async () => {
    const noReason = captureIo();
    expect(await main(["erase", randomUUID(), "--data-dir", dataDir], noReason.io)).toBe(2);
    expect(noReason.err()).toContain("--reason");
    const noSubcommand = captureIo();
    expect(await main(["keys", "--data-dir", dataDir], noSubcommand.io)).toBe(2);
    const noAuditKey = captureIo();
    delete process.env["STRATA_ERASURE_AUDIT_KEY"];
    expect(await main(["erase", randomUUID(), "--reason", "r", "--data-dir", dataDir], noAuditKey.io)).toBe(1);
    expect(noAuditKey.err()).toContain("STRATA_ERASURE_AUDIT_KEY");
    const noKeks = captureIo();
    delete process.env["STRATA_KEKS"];
    expect(await main(["export-subject", randomUUID(), "--data-dir", dataDir], noKeks.io)).toBe(1);
    expect(noKeks.err()).toMatch(/STRATA_KEKS/);
  });
});
