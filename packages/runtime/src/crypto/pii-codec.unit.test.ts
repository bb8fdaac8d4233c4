import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PiiFieldSpec } from "../registry.js";
import { applyUpcastOperations } from "../upcasting/upcast-operations.js";
import { randomNonce, seal } from "./aes-gcm.js";
import { isCryptoError } from "./crypto-errors.js";
import type { DecryptionFailure } from "./crypto-errors.js";
import { createEnvelope, envelopeAad } from "./envelope.js";
import type { PiiEnvelope } from "./envelope.js";
import { ERASED, isErased } from "./erased.js";
import { InMemoryKeyStore } from "./in-memory-key-store.js";
import type { StoredSubjectKey } from "./key-store.js";
import { LocalKekProvider } from "./local-kek-provider.js";
import { decryptPersonalData, decryptPersonalDataMany, encryptPersonalData } from "./pii-codec.js";
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
  { path: "/age", subject: "/customerId" },
];
const customer = { customerId: "cust-1", email: "ada@example.com", address: { street: "1 Analytical Way", city: "London" }, age: 36, plan: "gold" };

function expectDecryptionError(error: unknown, reason: DecryptionFailure, path: string): void {
  expect(isCryptoError(error, "DECRYPTION_FAILED")).toBe(true);
  expect(error).toMatchObject({ reason, location: { path } });
}

describe("encryptPersonalData / decryptPersonalData", () => {
  it("round-trips strings, numbers and objects and leaves other fields and the input alone", async () => {
    const keys = newKeys();
    const event = ctx();
    const input = structuredClone(customer);
    const stored = (await encryptPersonalData(input, customerPii, event, keys)) as Record<string, unknown>;
    expect(input).toEqual(customer);
    expect(stored["customerId"]).toBe("cust-1");
    expect(stored["plan"]).toBe("gold");
    for (const field of ["email", "address", "age"]) expect(stored[field]).toMatchObject({ $strata: "pii", v: 1, p: `/${field}`, sv: 1 });
    expect(await decryptPersonalData(stored, event, keys)).toEqual(customer);
  });

  it("stores no plaintext, and survives a JSONB-like round trip that reorders keys", async () => {
    const keys = newKeys();
    const event = ctx();
    const stored = await encryptPersonalData(customer, customerPii, event, keys);
    const json = JSON.stringify(stored);
    for (const secret of ["ada@example.com", "Analytical", "London"]) expect(json).not.toContain(secret);
    const reordered = JSON.parse(json, (_key, value: unknown) =>
      typeof value === "object" && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    ) as unknown;
    expect(await decryptPersonalData(reordered, event, keys)).toEqual(customer);
  });

  it("uses a fresh nonce for every field and every write", async () => {
    const keys = newKeys();
    const event = ctx();
    const first = (await encryptPersonalData(customer, customerPii, event, keys)) as Record<string, PiiEnvelope>;
    const second = (await encryptPersonalData(customer, customerPii, event, keys)) as Record<string, PiiEnvelope>;
    const nonces = [first, second].flatMap((data) => ["email", "address", "age"].map((field) => data[field]?.n));
    expect(new Set(nonces).size).toBe(6);
  });

  it("skips absent optional fields and returns data without personal data unchanged", async () => {
    const keys = newKeys();
    const { email: _email, ...withoutEmail } = customer;
    const stored = (await encryptPersonalData(withoutEmail, customerPii, ctx(), keys)) as Record<string, unknown>;
    expect("email" in stored).toBe(false);
    const plain = { amount: 5 };
    expect(await encryptPersonalData(plain, customerPii, ctx(), keys)).toBe(plain);
    expect(await decryptPersonalData(plain, ctx(), keys)).toBe(plain);
  });

  it("encrypts the outer field once when personal-data paths nest", async () => {
    const keys = newKeys();
    const event = ctx();
    const pii = [...customerPii, { path: "/address/street", subject: "/customerId" }];
    const stored = (await encryptPersonalData(customer, pii, event, keys)) as Record<string, unknown>;
    expect(stored["address"]).toMatchObject({ $strata: "pii", p: "/address" });
    expect(await decryptPersonalData(stored, event, keys)).toEqual(customer);
  });
});

describe("subjects", () => {
  const transferPii: readonly PiiFieldSpec[] = [
    { path: "/payer/name", subject: "/payer/id" },
    { path: "/payee/name", subject: "/payee/id" },
  ];
  const transfer = { payer: { id: "alice", name: "Alice A." }, payee: { id: "bob", name: "Bob B." }, amount: 10 };

  it("encrypts each subject's fields with its own key; erasing one erases only its fields", async () => {
    const keys = newKeys();
    const event = ctx({ eventType: "MoneyTransferred" });
    const stored = await encryptPersonalData(transfer, transferPii, event, keys);
    await keys.forget("alice");
    const read = (await decryptPersonalData(stored, event, keys)) as typeof transfer;
    expect(read.payer).toEqual({ id: "alice", name: ERASED });
    expect(isErased(read.payer.name)).toBe(true);
    expect(read.payee).toEqual({ id: "bob", name: "Bob B." });
  });

  it("binds `*` in the subject pointer to the same array index: per-item subjects", async () => {
    const keys = newKeys();
    const event = ctx({ eventType: "AccountOpened" });
    const pii: readonly PiiFieldSpec[] = [
      { path: "/holders/*/email", subject: "/holders/*/customerId" },
      { path: "/holders/*/contacts/*/phone", subject: "/holders/*/customerId" },
    ];
    const data = {
      holders: [
        { customerId: "c1", email: "one@example.com", contacts: [{ phone: "+1" }, { phone: "+2" }] },
        { customerId: "c2", email: "two@example.com", contacts: [] },
        { customerId: "c3", contacts: [{ phone: "+3" }] },
      ],
    };
    const stored = (await encryptPersonalData(data, pii, event, keys)) as { holders: { email?: PiiEnvelope; contacts: { phone: PiiEnvelope }[] }[] };
    expect(stored.holders[0]?.contacts[1]?.phone.p).toBe("/holders/0/contacts/1/phone");
    expect(stored.holders[0]?.email?.k).not.toBe(stored.holders[1]?.email?.k);
    expect(stored.holders[0]?.email?.k).toBe(stored.holders[0]?.contacts[0]?.phone.k);
    await keys.forget("c1");
    expect(await decryptPersonalData(stored, event, keys)).toEqual({
      holders: [
        { customerId: "c1", email: ERASED, contacts: [{ phone: ERASED }, { phone: ERASED }] },
        data.holders[1],
        data.holders[2],
      ],
    });
  });

  it.each([
    ["missing", { email: "x@example.com" }, /"\/customerId" is missing/],
    ["a number", { customerId: 42, email: "x@example.com" }, /"\/customerId" is a number/],
    ["empty", { customerId: "", email: "x@example.com" }, /"\/customerId" is a string/],
  ])("refuses a subject id that is %s, naming event type and path, never the value", async (_case, data, message) => {
    const error = await rejection(encryptPersonalData(data, customerPii, ctx(), newKeys()));
    expect(isCryptoError(error, "PII_FIELD_INVALID")).toBe(true);
    expect((error as Error).message).toMatch(/at "\/email" of a CustomerRegistered event/);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("x@example.com");
  });

  it("refuses plaintext that already holds an envelope-shaped object", async () => {
    const keys = newKeys();
    const stored = (await encryptPersonalData(customer, customerPii, ctx(), keys)) as Record<string, unknown>;
    const smuggled = { ...customer, plan: stored["email"] };
    const error = await rejection(encryptPersonalData(smuggled, customerPii, ctx(), keys));
    expect(isCryptoError(error, "PII_FIELD_INVALID")).toBe(true);
    expect((error as Error).message).toContain('"/plan"');
  });
});

describe("tampering and misuse", () => {
  async function storedCustomer() {
    const keys = newKeys();
    const event = ctx();
    const stored = (await encryptPersonalData(customer, customerPii, event, keys)) as Record<string, unknown> & { email: PiiEnvelope };
    return { keys, event, stored };
  }
  const flip = (text: string, at: number): string => {
    const bytes = Buffer.from(text, "base64url");
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    return bytes.toString("base64url");
  };

  it.each([
    ["ciphertext", (e: PiiEnvelope) => ({ ...e, c: flip(e.c, 0) }), 1],
    ["tag", (e: PiiEnvelope) => ({ ...e, c: flip(e.c, Buffer.from(e.c, "base64url").length - 1) }), 1],
    ["nonce", (e: PiiEnvelope) => ({ ...e, n: flip(e.n, 3) }), 1],
    // Read as upcast data (version 3), so only the associated data can catch these:
    ["write-time path", (e: PiiEnvelope) => ({ ...e, p: "/age" }), 3],
    ["write-time version", (e: PiiEnvelope) => ({ ...e, sv: 2 }), 3],
  ])("rejects a tampered %s with a typed DecryptionError, never garbage", async (_part, tamper, readVersion) => {
    const { keys, event, stored } = await storedCustomer();
    const tampered = { ...stored, email: tamper(stored.email) };
    const error = await rejection(decryptPersonalData(tampered, { ...event, schemaVersion: readVersion }, keys));
    expectDecryptionError(error, "authentication-failed", "/email");
    expect((error as Error).message).toContain(event.eventId);
  });

  it("rejects a ciphertext copied into another event, even of the same type and subject", async () => {
    const { keys, stored } = await storedCustomer();
    const other = ctx();
    await encryptPersonalData(customer, customerPii, other, keys);
    expectDecryptionError(await rejection(decryptPersonalData(stored, other, keys)), "authentication-failed", "/email");
  });

  it("rejects a ciphertext read under another event type", async () => {
    const { keys, event, stored } = await storedCustomer();
    expectDecryptionError(await rejection(decryptPersonalData(stored, { ...event, eventType: "CustomerDeleted" }, keys)), "authentication-failed", "/email");
  });

  it("rejects a ciphertext copied to another field of the same event", async () => {
    const { keys, event, stored } = await storedCustomer();
    const moved = { ...stored, plan: stored.email };
    const error = await rejection(decryptPersonalData(moved, event, keys));
    expectDecryptionError(error, "misplaced", "/plan");
    expect((error as Error).message).toContain('written at "/email" of schema version 1');
  });

  it("rejects an envelope that claims a later schema version than the event being read", async () => {
    const keys = newKeys();
    const event = ctx({ schemaVersion: 2 });
    const stored = await encryptPersonalData(customer, customerPii, event, keys);
    expectDecryptionError(await rejection(decryptPersonalData(stored, { ...event, schemaVersion: 1 }, keys)), "misplaced", "/email");
  });

  it("decrypts after an upcast renamed the field (data at a later version than the envelope)", async () => {
    const { keys, event, stored } = await storedCustomer();
    const upcast = applyUpcastOperations(stored, [
      { op: "rename", path: "/email", to: "emailAddress" },
      { op: "set-default", path: "/marketing", value: false },
    ]);
    expect(await decryptPersonalData(upcast, { ...event, schemaVersion: 2 }, keys)).toEqual({
      customerId: "cust-1",
      emailAddress: "ada@example.com",
      address: customer.address,
      age: 36,
      plan: "gold",
      marketing: false,
    });
  });

  it("reads a field of a subject without a key as ERASED, and rejects malformed or unknown envelopes", async () => {
    const { event, stored } = await storedCustomer();
    expect(await decryptPersonalData(stored, event, newKeys())).toEqual({ ...customer, email: ERASED, address: ERASED, age: ERASED });
    const keys = newKeys();
    expectDecryptionError(await rejection(decryptPersonalData({ x: { $strata: "pii", v: 1, k: "k" } }, event, keys)), "malformed-envelope", "/x");
    expectDecryptionError(await rejection(decryptPersonalData({ x: { ...stored.email, n: "!!" } }, event, keys)), "malformed-envelope", "/x");
    expectDecryptionError(await rejection(decryptPersonalData({ x: { ...stored.email, v: 2 } }, event, keys)), "unsupported-version", "/x");
  });

  it("rejects an authentic ciphertext whose plaintext is not JSON without quoting the plaintext", async () => {
    const keys = newKeys();
    const event = ctx();
    const dek = await keys.dekFor("cust-1", { create: true });
    const nonce = randomNonce();
    const binding = { keyId: dek.keyId, eventId: event.eventId, eventType: event.eventType, schemaVersion: 1, path: "/email" };
    const sealed = seal(dek.key, nonce, Buffer.from("ada@example.com"), envelopeAad(binding));
    const forged = { email: createEnvelope({ keyId: dek.keyId, path: "/email", schemaVersion: 1, nonce, sealed }) };
    const error = await rejection(decryptPersonalData(forged, event, keys));
    expectDecryptionError(error, "malformed-envelope", "/email");
    expect(JSON.stringify({ message: (error as Error).message, cause: String((error as Error).cause) })).not.toContain("ada@");
  });

  it("refuses values JSON cannot carry and pointers that are not JSON Pointers, as PII_FIELD_INVALID", async () => {
    const keys = newKeys();
    const bigint = await rejection(encryptPersonalData({ ...customer, age: 10n }, customerPii, ctx(), keys));
    expect(isCryptoError(bigint, "PII_FIELD_INVALID")).toBe(true);
    expect((bigint as Error).message).toContain('"/age"');
    const pointer = await rejection(encryptPersonalData(customer, [{ path: "email", subject: "/customerId" }], ctx(), keys));
    expect(isCryptoError(pointer, "PII_FIELD_INVALID")).toBe(true);
  });

  it("never puts plaintext or subject ids into error messages", async () => {
    const { keys, event, stored } = await storedCustomer();
    const error = await rejection(decryptPersonalData({ ...stored, plan: stored.email }, event, keys));
    const message = `${(error as Error).message} ${String((error as Error).cause ?? "")}`;
    for (const secret of ["ada@example.com", "cust-1"]) expect(message).not.toContain(secret);
  });
});

describe("decryptPersonalDataMany", () => {
  it("decrypts a batch with one key-store round trip for all its keys", async () => {
    class CountingKeyStore extends InMemoryKeyStore {
      reads = 0;
      override getKeysById(keyIds: readonly string[]): Promise<ReadonlyMap<string, StoredSubjectKey>> {
        this.reads += 1;
        return super.getKeysById(keyIds);
      }
    }
    const store = new CountingKeyStore();
    const writer = newKeys(store);
    const events = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const context = ctx();
        const data = { ...customer, customerId: `cust-${index % 5}` };
        return { context, data: await encryptPersonalData(data, customerPii, context, writer), plain: data };
      }),
    );
    const reader = newKeys(store);
    const read = await decryptPersonalDataMany(events, reader);
    expect(read).toEqual(events.map((event) => event.plain));
    expect(store.reads).toBe(1);
    await decryptPersonalDataMany(events, reader);
    expect(store.reads).toBe(1);
  });
});

describe("keys behind the codec", () => {
  it("keeps every event readable through a KEK rotation, and after the old KEK is removed", async () => {
    const store = new InMemoryKeyStore();
    const [kek1, kek2] = [randomBytes(32), randomBytes(32)];
    const writer = new SubjectKeys({ store, keks: new LocalKekProvider({ keks: { v1: kek1 }, current: "v1" }) });
    const events = await Promise.all(
      ["a", "b", "c", "a"].map(async (customerId) => {
        const context = ctx();
        const data = { ...customer, customerId };
        return { context, data: await encryptPersonalData(data, customerPii, context, writer), plain: data };
      }),
    );
    const rotating = new SubjectKeys({ store, keks: new LocalKekProvider({ keks: { v1: kek1, v2: kek2 }, current: "v2" }) });
    expect(await decryptPersonalDataMany(events, rotating)).toEqual(events.map((event) => event.plain));
    expect(await rotating.rotateKek()).toMatchObject({ scanned: 3, rewrapped: 3 });
    expect(await decryptPersonalDataMany(events, rotating)).toEqual(events.map((event) => event.plain));
    const v2Only = new SubjectKeys({ store, keks: new LocalKekProvider({ keks: { v2: kek2 }, current: "v2" }) });
    expect(await decryptPersonalDataMany(events, v2Only)).toEqual(events.map((event) => event.plain));
  });

  it("fails loudly with KEY_UNWRAP_FAILED under a wrong KEK instead of reading fields as erased", async () => {
    const store = new InMemoryKeyStore();
    const event = ctx();
    const stored = await encryptPersonalData(customer, customerPii, event, newKeys(store));
    const wrongKek = new SubjectKeys({ store, keks: new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" }) });
    const error = await rejection(decryptPersonalData(stored, event, wrongKek));
    expect(isCryptoError(error, "KEY_UNWRAP_FAILED")).toBe(true);
  });
});
