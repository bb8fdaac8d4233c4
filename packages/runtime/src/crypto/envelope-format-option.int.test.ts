import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { piiRegistry } from "../erasure/personal-data.fixture.js";
import { createPersonalDataStore } from "../erasure/create-personal-data-store.js";
import { createEventStore } from "../store/create-event-store.js";
import { describeEachBackend } from "../testing/backends.js";
import { LocalKekProvider } from "./local-kek-provider.js";

const registration = (customerId: string) => ({
  type: "CustomerRegistered" as const,
  data: { customerId, profile: { name: "Ada Lovelace", email: "ada@example.org" }, tier: "gold" },
});

describeEachBackend("personalData.envelopeFormat (rolling upgrades)", (backend) => {
  const kek = new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" });
  const storedPii = async (schema: string, customerId: string): Promise<unknown> =>
    (await backend.query<{ data: { $pii: unknown } }>(`SELECT data FROM "${schema}".events WHERE stream_id = $1`, [`customer-${customerId}`]))[0]?.data.$pii;

  it("writes the format asked for, and a store of this release reads every one of them", async () => {
    const schema = backend.freshSchema();
    const [old3, old2, latest] = [randomUUID(), randomUUID(), randomUUID()];
    const format3 = await backend.createStore(piiRegistry, { schema, personalData: { kek, envelopeFormat: 3 } });
    await format3.append(`customer-${old3}`, [registration(old3)]);
    const format2 = await backend.createStore(piiRegistry, { schema, personalData: { kek, envelopeFormat: 2 } });
    await format2.append(`customer-${old2}`, [registration(old2)]);
    const current = await backend.createStore(piiRegistry, { schema, personalData: { kek } });
    await current.append(`customer-${latest}`, [registration(latest)]);

    // Formats 2 and 3: one object per subject ({ v, k, sv, p, c }); format 4, the default: one flat list.
    expect(await storedPii(schema, old3)).toEqual([expect.objectContaining({ v: 3, k: expect.any(String), p: ["/profile/name", "/profile/email"] })]);
    expect(await storedPii(schema, old2)).toEqual([expect.objectContaining({ v: 2 })]);
    expect(((await storedPii(schema, latest)) as unknown[])[0]).toBe(4);

    for (const id of [old3, old2, latest]) {
      for (const store of [format2, format3, current]) {
        const events = [];
        for await (const event of store.readStream(`customer-${id}`)) events.push(event);
        expect(events.map((event) => event.data)).toEqual([registration(id).data]);
      }
    }
  });

  it("refuses a format it cannot write, naming the ones it can", async () => {
    const database = backend.database();
    const bad = { kek, envelopeFormat: 1 } as never;
    await expect(createEventStore({ registry: piiRegistry, database, schema: backend.freshSchema(), personalData: bad })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("must be one of 2, 3, 4"),
    });
    await expect(
      createPersonalDataStore({ registry: piiRegistry, database, schema: backend.freshSchema(), kek, envelopeFormat: 5 as never }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("createPersonalDataStore writes the format asked for", async () => {
    const schema = backend.freshSchema();
    const store = await createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, kek, envelopeFormat: 3 });
    const id = randomUUID();
    await store.events.append(`customer-${id}`, [registration(id)]);
    expect(await storedPii(schema, id)).toEqual([expect.objectContaining({ v: 3 })]);
    await store.close();
  });
});

describe("the default", () => {
  it("is the newest format", async () => {
    const { ENVELOPE_VERSION, READABLE_ENVELOPE_VERSIONS } = await import("./envelope.js");
    expect(ENVELOPE_VERSION).toBe(Math.max(...READABLE_ENVELOPE_VERSIONS));
  });
});
