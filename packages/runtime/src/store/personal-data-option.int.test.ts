// createEventStore's personalData option: a registry that declares personal data (x-pii) needs
// keys or the explicit "unencrypted"; without either the store refuses to open.
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { expect, it } from "vitest";
import { LocalKekProvider } from "../crypto/local-kek-provider.js";
import { piiRegistry } from "../erasure/personal-data.fixture.js";
import { isStrataError } from "../errors.js";
import { defineRegistry } from "../registry.js";
import type { EventTypeSpec } from "../registry.js";
import { describeEachBackend } from "../testing/backends.js";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { rejection } from "../../test/fixtures/rejection.js";
import { createEventStore } from "./create-event-store.js";
import type { CreateEventStoreOptions } from "./create-event-store.js";

const keks = (): LocalKekProvider => new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" });

const registration = () => {
  const suffix = randomBytes(4).toString("hex");
  const customerId = randomUUID();
  return { type: "CustomerRegistered" as const, data: { customerId, profile: { name: `Hal ${suffix}`, email: `hal.${suffix}@example.org` }, tier: "gold" } };
};

/** A registry of `count` types, each with one personal field in v1. */
function manyPiiTypes(count: number) {
  const events: Record<string, EventTypeSpec> = {};
  for (let index = 1; index <= count; index += 1) {
    const type = `Type${index}`;
    events[type] = { type, latestVersion: 1, versions: { 1: { version: 1, validator: z.object({ id: z.string(), secret: z.string() }), pii: [{ path: "/secret", subject: "/id" }] } }, upcasters: [] };
  }
  return defineRegistry({ context: "many-pii", events });
}

describeEachBackend("createEventStore personalData", (backend) => {
  async function schemaExists(schema: string): Promise<boolean> {
    const rows = await backend.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1", [schema]);
    return rows[0]?.n === 1;
  }

  it("refuses a registry with personal data opened without personalData, naming context, types and the fix, before touching the database", async () => {
    const schema = backend.freshSchema();
    const error = await rejection(createEventStore({ registry: piiRegistry, database: backend.database(), schema }));
    expect(isStrataError(error, "INVALID_ARGUMENT")).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('Registry "pii-test"');
    expect(message).toContain("CustomerRegistered v1, CustomerRegistered v2, MeetingHeld v1");
    expect(message).not.toContain(" more");
    expect(message).toContain("personalData: { kek }");
    expect(message).toContain("createPersonalDataStore");
    expect(message).toContain('personalData: "unencrypted"');
    // Names types, not field paths or values.
    expect(message).not.toMatch(/\/(name|email|profile|participants|host)/);
    expect(await schemaExists(schema)).toBe(false);
    // The test helper passes nothing by default: refused the same way.
    expect(isStrataError(await rejection(backend.createStore(piiRegistry)), "INVALID_ARGUMENT")).toBe(true);
  });

  it("names the first three versions with personal data and counts the rest", async () => {
    const error = await rejection(createEventStore({ registry: manyPiiTypes(5), database: backend.database(), schema: backend.freshSchema() }));
    expect(isStrataError(error, "INVALID_ARGUMENT")).toBe(true);
    expect((error as Error).message).toContain('Registry "many-pii" declares personal data (x-pii) in Type1 v1, Type2 v1, Type3 v1 and 2 more,');
  });

  it('refuses a personalData value that is neither keys nor "unencrypted"', async () => {
    for (const personalData of ["plaintext", {}, null]) {
      const options = { registry: testRegistry, database: backend.database(), schema: backend.freshSchema(), personalData } as unknown as CreateEventStoreOptions<typeof testRegistry>;
      const error = await rejection(createEventStore(options));
      expect(isStrataError(error, "INVALID_ARGUMENT")).toBe(true);
      expect((error as Error).message).toContain('or "unencrypted"');
    }
  });

  it('opens with personalData: "unencrypted" and stores the events as given', async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(piiRegistry, { schema, personalData: "unencrypted" });
    const event = registration();
    const result = await store.append("c-1", [event]);
    expect(result.events[0]?.data).toEqual(event.data);
    const [row] = await backend.query<{ data: Record<string, unknown> }>(`SELECT data FROM "${schema}".events`);
    expect(row?.data).toEqual(event.data);
    expect(await backend.query(`SELECT 1 FROM "${schema}".subject_keys`)).toEqual([]);
    const read = [];
    for await (const recorded of store.readStream("c-1")) read.push(recorded.data);
    expect(read).toEqual([event.data]);
  });

  it("encrypts when createStore is given keys", async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(piiRegistry, { schema, personalData: { kek: keks() } });
    const event = registration();
    await store.append("c-1", [event]);
    const [row] = await backend.query<{ data: string }>(`SELECT data::text AS data FROM "${schema}".events`);
    expect(row?.data).not.toContain(event.data.profile.email);
    expect(row?.data).toContain('"$pii"');
    const read = [];
    for await (const recorded of store.readStream("c-1")) read.push(recorded.data);
    expect(read).toEqual([event.data]);
  });

  it("opens a registry without personal data with no option at all", async () => {
    const store = await createEventStore({ registry: testRegistry, database: backend.database(), schema: backend.freshSchema() });
    try {
      const result = await store.append("a-1", [{ type: "AccountOpened", data: { owner: "Ada" } }], { expectedVersion: "no_stream" });
      expect(result.nextExpectedVersion).toBe(1);
    } finally {
      await store.close();
    }
  });
});
