import { randomBytes, randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PiiFieldSpec } from "../registry.js";
import { isCryptoError } from "./crypto-errors.js";
import type { DecryptionFailure } from "./crypto-errors.js";
import { templatedAad } from "./envelope-aad-writer.js";
import { envelopeAad, PII_ROOT_KEY } from "./envelope.js";
import { ERASED } from "./erased.js";
import { InMemoryKeyStore } from "./in-memory-key-store.js";
import { LocalKekProvider } from "./local-kek-provider.js";
import { encryptPersonalData } from "./pii-codec.js";
import { decryptPersonalData, decryptRowsInPlace, personalFieldsOf } from "./pii-decrypt.js";
import type { DecryptableRow } from "./pii-decrypt.js";
import { SubjectKeys } from "./subject-keys.js";
import { rejection } from "../../test/fixtures/rejection.js";

const keks = new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" });
const newKeys = (store = new InMemoryKeyStore()): SubjectKeys => new SubjectKeys({ store, keks });
const ctx = (overrides: Partial<{ eventId: string; eventType: string; schemaVersion: number }> = {}) => ({
  eventId: randomUUID(),
  eventType: "CustomerRegistered",
  schemaVersion: 1,
  ...overrides,
});
const customerPii: readonly PiiFieldSpec[] = [
  { path: "/email", subject: "/customerId" },
  { path: "/address", subject: "/customerId" },
];
const customer = { customerId: "cust-1", email: "ada@example.com", address: { street: "1 Analytical Way" }, plan: "gold" };
type Stored = Record<string, unknown> & { $pii: unknown[] };

function expectDecryptionError(error: unknown, reason: DecryptionFailure, path: string): void {
  expect(isCryptoError(error, "DECRYPTION_FAILED")).toBe(true);
  expect(error).toMatchObject({ reason, location: { path } });
}

const flip = (text: string, at: number): string => {
  const bytes = Buffer.from(text, "base64url");
  const index = at < 0 ? bytes.length + at : at;
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString("base64url");
};

async function storedCustomer() {
  const keys = newKeys();
  const event = ctx();
  const stored = (await encryptPersonalData(customer, customerPii, event, keys)) as Stored;
  return { keys, event, stored, list: stored.$pii };
}

describe("envelope format 4 (compact list)", () => {
  it("stores [4, sv, keyId, n, ...paths, sealed] under $pii, no plaintext, and reads it back", async () => {
    const { keys, event, stored, list } = await storedCustomer();
    expect(list).toEqual([4, 1, expect.any(String), 2, "/email", "/address", expect.any(String)]);
    expect(Object.keys(stored).sort()).toEqual(["$pii", "customerId", "plan"]);
    // 24-byte nonce, the UTF-8 JSON array of the values, 16-byte tag.
    expect(Buffer.from(list[6] as string, "base64url").byteLength).toBe(24 + Buffer.byteLength(JSON.stringify([customer.email, customer.address])) + 16);
    expect(JSON.stringify(stored)).not.toContain("ada@");
    expect(await decryptPersonalData(JSON.parse(JSON.stringify(stored)) as unknown, event, keys)).toEqual(customer);
    expect(personalFieldsOf(stored, event)).toEqual([{ keyId: list[2], paths: ["/email", "/address"] }]);
  });

  it("lists one envelope per subject; erasing one subject erases only its fields", async () => {
    const keys = newKeys();
    const event = ctx({ eventType: "MoneyTransferred" });
    const pii = [
      { path: "/payer/name", subject: "/payer/id" },
      { path: "/payee/name", subject: "/payee/id" },
    ];
    const transfer = { payer: { id: "alice", name: "Alice" }, payee: { id: "bob", name: "Bob" }, amount: 10 };
    const stored = (await encryptPersonalData(transfer, pii, event, keys)) as Stored;
    expect(stored.$pii).toEqual([4, 1, expect.any(String), 1, "/payer/name", expect.any(String), expect.any(String), 1, "/payee/name", expect.any(String)]);
    expect(await decryptPersonalData(stored, event, keys)).toEqual(transfer);
    await keys.forget("alice");
    expect(await decryptPersonalData(stored, event, keys)).toEqual({ ...transfer, payer: { id: "alice", name: ERASED } });
  });

  it.each([
    ["nonce", (list: unknown[]) => list.with(6, flip(list[6] as string, 3))],
    ["ciphertext", (list: unknown[]) => list.with(6, flip(list[6] as string, 30))],
    ["tag", (list: unknown[]) => list.with(6, flip(list[6] as string, -1))],
    ["paths (swapped, to move a value into another field)", (list: unknown[]) => list.with(4, "/address").with(5, "/email")],
    ["paths (renamed)", (list: unknown[]) => list.with(4, "/plan2")],
  ])("rejects a tampered %s as authentication-failed at the envelope", async (_part, tamper) => {
    const { keys, event, stored, list } = await storedCustomer();
    const error = await rejection(decryptPersonalData({ ...stored, $pii: tamper(list) }, event, keys));
    expectDecryptionError(error, "authentication-failed", "/$pii/2");
    expect((error as Error).message).not.toContain("ada@");
  });

  it("rejects a sealed list copied into another event, read under another type, or under another subject's key", async () => {
    const { keys, event, stored, list } = await storedCustomer();
    expectDecryptionError(await rejection(decryptPersonalData(stored, ctx(), keys)), "authentication-failed", "/$pii/2");
    expectDecryptionError(await rejection(decryptPersonalData(stored, { ...event, eventType: "CustomerDeleted" }, keys)), "authentication-failed", "/$pii/2");
    const other = await keys.dekFor("cust-2", { create: true });
    expectDecryptionError(await rejection(decryptPersonalData({ ...stored, $pii: list.with(2, other.keyId) }, event, keys)), "authentication-failed", "/$pii/2");
  });

  it("binds the write-time schema version, and refuses data upcast before decryption with the fix named", async () => {
    const { keys, event, stored, list } = await storedCustomer();
    const edited = await rejection(decryptPersonalData({ ...stored, $pii: list.with(1, 2) }, { ...event, schemaVersion: 2 }, keys));
    expectDecryptionError(edited, "authentication-failed", "/$pii/2");
    const early = await rejection(decryptPersonalData(stored, { ...event, schemaVersion: 2 }, keys));
    expectDecryptionError(early, "misplaced", "/$pii/2");
    expect((early as Error).message).toContain("decrypt stored data before upcasting it");
  });

  it("rejects refilled places and paths claimed by two envelopes as misplaced", async () => {
    const { keys, event, stored, list } = await storedCustomer();
    expectDecryptionError(await rejection(decryptPersonalData({ ...stored, email: "eve@example.com" }, event, keys)), "misplaced", "/$pii/2");
    expectDecryptionError(await rejection(decryptPersonalData({ ...stored, $pii: [...list, ...list.slice(2)] }, event, keys)), "misplaced", "/$pii/7");
  });

  it("reads a subject without a key as ERASED, and rejects damaged lists as malformed", async () => {
    const { keys, event, stored, list } = await storedCustomer();
    expect(await decryptPersonalData(stored, event, newKeys())).toEqual({ ...customer, email: ERASED, address: ERASED });
    const damaged: [unknown[], string][] = [
      [[4], "/$pii"],
      [[4, 1], "/$pii"],
      [list.with(1, "1"), "/$pii"],
      [list.with(2, ""), "/$pii/2"],
      [list.with(3, 3), "/$pii/2"],
      [list.with(3, 0), "/$pii/2"],
      [list.with(4, "email"), "/$pii/2"],
      [list.with(5, "/email"), "/$pii/2"],
      [list.with(6, "AAAA"), "/$pii/2"],
      [list.with(6, `${(list[6] as string).slice(0, 20)}!${(list[6] as string).slice(21)}`), "/$pii/2"],
      [list.with(6, 12), "/$pii/2"],
      [[...list, "extra"], "/$pii/7"],
    ];
    for (const [bad, path] of damaged) expectDecryptionError(await rejection(decryptPersonalData({ ...stored, $pii: bad }, event, keys)), "malformed-envelope", path);
  });

  it("round-trips any JSON at any top-level or nested path, through JSON as through JSONB", async () => {
    const keys = newKeys();
    const pii = [
      { path: "/name", subject: "/id" },
      { path: "/contact/email", subject: "/id" },
      { path: "/items/*/note", subject: "/items/*/owner" },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1 }),
        fc.jsonValue(),
        fc.jsonValue(),
        fc.array(fc.record({ owner: fc.string({ minLength: 1, maxLength: 2 }), note: fc.jsonValue({ maxDepth: 2 }) }), { maxLength: 3 }),
        async (id, name, email, items) => {
          const event = ctx();
          const data = { id, name, contact: { email, kept: 1 }, items };
          const stored = await encryptPersonalData(data, pii, event, keys);
          const read = await decryptPersonalData(JSON.parse(JSON.stringify(stored)) as unknown, event, keys);
          expect(read).toEqual(JSON.parse(JSON.stringify(data)));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("decryptRowsInPlace", () => {
  it("decrypts a page of rows of every format in place, passing rows without an event id or envelopes", async () => {
    const keys = newKeys();
    const rows: DecryptableRow[] = [];
    const want: unknown[] = [];
    for (const [index, format] of ([4, 3, 2, 4, 4] as const).entries()) {
      const context = ctx();
      const data = { ...customer, customerId: `cust-${index % 2}` };
      const stored = await encryptPersonalData(data, customerPii, context, keys, { format });
      rows.push({ event_id: context.eventId, type: context.eventType, schema_version: 1, data: JSON.parse(JSON.stringify(stored)) as unknown });
      want.push(data);
    }
    rows.push({ event_id: null, type: null, schema_version: null, data: null }, { event_id: randomUUID(), type: "Plain", schema_version: 1, data: { amount: 1 } });
    want.push(null, { amount: 1 });
    await decryptRowsInPlace(rows, keys);
    expect(rows.map((row) => row.data)).toEqual(want);
  });

  it("reads erased subjects' rows as ERASED and fails the page on a tampered row", async () => {
    const keys = newKeys();
    const context = ctx();
    const stored = (await encryptPersonalData(customer, customerPii, context, keys)) as Stored;
    const row = (data: unknown): DecryptableRow => ({ event_id: context.eventId, type: context.eventType, schema_version: 1, data: structuredClone(data) });
    const tampered = [row({ ...stored, $pii: stored.$pii.with(6, flip(stored.$pii[6] as string, 30)) })];
    expectDecryptionError(await rejection(decryptRowsInPlace(tampered, keys)), "authentication-failed", "/$pii/2");
    await keys.forget("cust-1");
    const erased = [row(stored)];
    await decryptRowsInPlace(erased, keys);
    expect(erased[0]?.data).toEqual({ ...customer, email: ERASED, address: ERASED });
  });
});

/** Strings as stored data may hold them: any UTF-16, lone surrogates, quotes and control characters included. */
const anyString = fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom("", '"', "\\", "\u0000", "\ud800", "é"));

describe("templatedAad", () => {
  it("gives exactly the bytes of envelopeAad for format 4, for any key id, type and paths, seen before or not", () => {
    fc.assert(
      fc.property(
        fc.oneof(anyString, fc.base64String({ minLength: 4 })),
        fc.oneof(fc.uuid(), fc.constantFrom("ev-1", "x")),
        fc.oneof(anyString, fc.constant("PaymentMade")),
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.oneof(anyString.map((path) => `/${path}`), fc.constantFrom("/name", "/email")), { minLength: 1, maxLength: 4 }),
        (keyId, eventId, eventType, schemaVersion, paths) => {
          const want = Buffer.from(envelopeAad({ version: 4, keyId, eventId, eventType, schemaVersion, paths }));
          const list = ["padding", ...paths];
          for (let pass = 0; pass < 2; pass++) {
            const aad = templatedAad(4, keyId, eventId, eventType, schemaVersion, list, 1, paths.length);
            expect(aad).toBeDefined();
            expect(Buffer.from(aad as Uint8Array).equals(want)).toBe(true);
          }
          expect(templatedAad(4, keyId, "\"quoted\"", eventType, schemaVersion, list, 1, paths.length)).toBeUndefined();
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("stored form", () => {
  it("is shorter than format 3's for the same event", async () => {
    const keys = newKeys();
    const event = ctx();
    const compact = JSON.stringify(await encryptPersonalData(customer, customerPii, event, keys));
    const objects = JSON.stringify(await encryptPersonalData(customer, customerPii, event, keys, { format: 3 }));
    expect(compact.length).toBeLessThan(objects.length);
    expect(JSON.parse(compact)).toHaveProperty([PII_ROOT_KEY, 0], 4);
  });
});
