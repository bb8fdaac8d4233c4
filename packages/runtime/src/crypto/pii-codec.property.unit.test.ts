import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PiiFieldSpec } from "../registry.js";
import { InMemoryKeyStore } from "./in-memory-key-store.js";
import { LocalKekProvider } from "./local-kek-provider.js";
import { encryptPersonalData } from "./pii-codec.js";
import { decryptPersonalData } from "./pii-decrypt.js";
import { SubjectKeys } from "./subject-keys.js";

const keks = new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" });
const escape = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** Event data with a top-level subject, free-form fields (some personal), and items with their own subjects. */
const eventArbitrary = fc
  .record({
    ownerId: fc.string({ minLength: 1 }),
    // "*" is the array wildcard of Strata's pointers, so no field can be literally named "*".
    fields: fc.dictionary(fc.string().filter((key) => key !== "*"), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
    items: fc.array(fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), value: fc.jsonValue({ maxDepth: 2 }) }), { maxLength: 4 }),
    encryptItems: fc.boolean(),
  })
  .chain((event) =>
    fc.subarray(Object.keys(event.fields)).map((personal) => {
      const pii: PiiFieldSpec[] = personal.map((key) => ({ path: `/fields/${escape(key)}`, subject: "/ownerId" }));
      if (event.encryptItems) pii.push({ path: "/items/*/value", subject: "/items/*/id" });
      return { data: { ownerId: event.ownerId, fields: event.fields, items: event.items }, pii, personal };
    }),
  );

describe("personal-data codec properties", () => {
  it("decrypt ∘ encrypt is the identity for any JSON at any personal-data paths, and only those paths leave the stored data", async () => {
    await fc.assert(
      fc.asyncProperty(eventArbitrary, fc.uuid(), async ({ data, pii, personal }, eventId) => {
        const keys = new SubjectKeys({ store: new InMemoryKeyStore(), keks });
        const ctx = { eventId, eventType: "Anything", schemaVersion: 1 };
        const stored = (await encryptPersonalData(data, pii, ctx, keys)) as typeof data;
        for (const key of Object.keys(data.fields)) expect(Object.hasOwn(stored.fields, key)).toBe(!personal.includes(key));
        // Through JSON both ways, as through JSONB (which, like JSON, has no -0).
        const roundTripped = await decryptPersonalData(JSON.parse(JSON.stringify(stored)), ctx, keys);
        expect(roundTripped).toEqual(JSON.parse(JSON.stringify(data)));
      }),
      { numRuns: 200 },
    );
  });
});
