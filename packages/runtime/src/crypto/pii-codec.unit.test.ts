import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PiiFieldSpec } from "../registry.js";
import { applyUpcastOperations } from "../upcasting/upcast-operations.js";
import { isCryptoError } from "./crypto-errors.js";
import type { DecryptionFailure } from "./crypto-errors.js";
import { createEnvelope, envelopeAad, PII_ROOT_KEY } from "./envelope.js";
import type { PiiEnvelope } from "./envelope.js";
import { ERASED, isErased } from "./erased.js";
import { InMemoryKeyStore } from "./in-memory-key-store.js";
import type { StoredSubjectKey } from "./key-store.js";
import { LocalKekProvider } from "./local-kek-provider.js";
import { encryptPersonalData as encryptAnyFormat, encryptPersonalDataMany as encryptManyAnyFormat } from "./pii-codec.js";
import type { EncryptOptions, PiiWriteContext, PiiWriteItem } from "./pii-codec.js";
import { decryptPersonalData, decryptPersonalDataMany } from "./pii-decrypt.js";
import { SubjectKeys } from "./subject-keys.js";
import { randomXNonce, xchachaSeal } from "./xchacha20-poly1305.js";
import { rejection } from "../../test/fixtures/rejection.js";

// This file checks the object envelopes of formats 3 (and 2); compact-envelopes.unit.test.ts checks
// format 4, the default, whose cipher and binding are format 3's.
const encryptPersonalData = (data: unknown, fields: readonly PiiFieldSpec[], context: PiiWriteContext, keys: SubjectKeys, options: EncryptOptions = { format: 3 }) =>
  encryptAnyFormat(data, fields, context, keys, options);
const encryptPersonalDataMany = (items: readonly PiiWriteItem[], keys: SubjectKeys) => encryptManyAnyFormat(items, keys, { format: 3 });

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

type Stored = Record<string, unknown> & { $pii: PiiEnvelope[] };
const envelopesOf = (stored: unknown): PiiEnvelope[] => (stored as Stored)[PII_ROOT_KEY];

function expectDecryptionError(error: unknown, reason: DecryptionFailure, path: string): void {
  expect(isCryptoError(error, "DECRYPTION_FAILED")).toBe(true);
  expect(error).toMatchObject({ reason, location: { path } });
}

describe("encryptPersonalData / decryptPersonalData", () => {
  it("moves a subject's fields into one envelope under $pii and puts them back on read", async () => {
    const keys = newKeys();
    const event = ctx();
    const input = structuredClone(customer);
    const stored = (await encryptPersonalData(input, customerPii, event, keys)) as Stored;
    expect(input).toEqual(customer);
    expect(Object.keys(stored).sort()).toEqual(["$pii", "customerId", "plan"]);
    expect(stored.$pii).toEqual([{ v: 3, k: expect.any(String), sv: 1, p: ["/email", "/address", "/age"], c: expect.any(String) }]);
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

  it("uses a fresh nonce for every write", async () => {
    const keys = newKeys();
    const event = ctx();
    const writes = await Promise.all([1, 2, 3].map(() => encryptPersonalData(customer, customerPii, event, keys)));
    const nonces = writes.map((stored) => Buffer.from(envelopesOf(stored)[0]?.c ?? "", "base64url").subarray(0, 24).toString("hex"));
    expect(new Set(nonces).size).toBe(3);
  });

  it("skips absent optional fields and returns data without personal data unchanged", async () => {
    const keys = newKeys();
    const { email: _email, ...withoutEmail } = customer;
    const stored = await encryptPersonalData(withoutEmail, customerPii, ctx(), keys);
    expect(envelopesOf(stored)[0]?.p).toEqual(["/address", "/age"]);
    const plain = { amount: 5 };
    expect(await encryptPersonalData(plain, customerPii, ctx(), keys)).toBe(plain);
    expect(await decryptPersonalData(plain, ctx(), keys)).toBe(plain);
  });

  it("encrypts the outer field once when personal-data paths nest", async () => {
    const keys = newKeys();
    const event = ctx();
    const pii = [...customerPii, { path: "/address/street", subject: "/customerId" }];
    const stored = await encryptPersonalData(customer, pii, event, keys);
    expect(envelopesOf(stored)[0]?.p).toEqual(["/email", "/address", "/age"]);
    expect(await decryptPersonalData(stored, event, keys)).toEqual(customer);
  });

  it("treats values shaped like envelopes anywhere but the root $pii key as plain data", async () => {
    const keys = newKeys();
    const event = ctx();
    const lookalike = { ...customer, plan: { $pii: [{ v: 2, k: "k", sv: 1, p: ["/x"], c: "AAAA" }], $strata: "pii" } };
    const stored = await encryptPersonalData(lookalike, customerPii, event, keys);
    expect(await decryptPersonalData(stored, event, keys)).toEqual(lookalike);
  });

  it("refuses plaintext with its own root $pii key, and data marked personal as a whole", async () => {
    const keys = newKeys();
    const reserved = await rejection(encryptPersonalData({ ...customer, $pii: "mine" }, customerPii, ctx(), keys));
    expect(isCryptoError(reserved, "PII_FIELD_INVALID")).toBe(true);
    expect((reserved as Error).message).toContain('reserves for its envelopes');
    const whole = await rejection(encryptPersonalData("ada@example.com", [{ path: "", subject: "" }], ctx(), keys));
    expect(isCryptoError(whole, "PII_FIELD_INVALID")).toBe(true);
  });
});

describe("subjects", () => {
  const transferPii: readonly PiiFieldSpec[] = [
    { path: "/payer/name", subject: "/payer/id" },
    { path: "/payee/name", subject: "/payee/id" },
  ];
  const transfer = { payer: { id: "alice", name: "Alice A." }, payee: { id: "bob", name: "Bob B." }, amount: 10 };

  it("seals each subject's fields under its own key; erasing one erases only its fields", async () => {
    const keys = newKeys();
    const event = ctx({ eventType: "MoneyTransferred" });
    const stored = await encryptPersonalData(transfer, transferPii, event, keys);
    expect(envelopesOf(stored).map((envelope) => envelope.p)).toEqual([["/payer/name"], ["/payee/name"]]);
    await keys.forget("alice");
    const read = (await decryptPersonalData(stored, event, keys)) as typeof transfer;
    expect(read.payer).toEqual({ id: "alice", name: ERASED });
    expect(isErased(read.payer.name)).toBe(true);
    expect(read.payee).toEqual({ id: "bob", name: "Bob B." });
  });

  it("binds `*` in the subject pointer to the same array index: per-item subjects, array items held as null", async () => {
    const keys = newKeys();
    const event = ctx({ eventType: "AccountOpened" });
    const pii: readonly PiiFieldSpec[] = [
      { path: "/holders/*/email", subject: "/holders/*/customerId" },
      { path: "/holders/*/phones/*", subject: "/holders/*/customerId" },
    ];
    const data = {
      holders: [
        { customerId: "c1", email: "one@example.com", phones: ["+1", "+2"] },
        { customerId: "c2", email: "two@example.com", phones: [] },
        { customerId: "c3", phones: ["+3"] },
      ],
    };
    const stored = (await encryptPersonalData(data, pii, event, keys)) as Stored & { holders: { phones: unknown[] }[] };
    expect(stored.holders[0]?.phones).toEqual([null, null]);
    expect(stored.$pii.map((envelope) => envelope.p)).toEqual([["/holders/0/email", "/holders/0/phones/0", "/holders/0/phones/1"], ["/holders/1/email"], ["/holders/2/phones/0"]]);
    expect(new Set(stored.$pii.map((envelope) => envelope.k)).size).toBe(3);
    expect(await decryptPersonalData(stored, event, keys)).toEqual(data);
    await keys.forget("c1");
    expect(await decryptPersonalData(stored, event, keys)).toEqual({
      holders: [{ customerId: "c1", email: ERASED, phones: [ERASED, ERASED] }, data.holders[1], data.holders[2]],
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
});

describe("tampering and misuse", () => {
  async function storedCustomer() {
    const keys = newKeys();
    const event = ctx();
    const stored = (await encryptPersonalData(customer, customerPii, event, keys)) as Stored;
    return { keys, event, stored, envelope: stored.$pii[0] as PiiEnvelope };
  }
  const flip = (text: string, at: number): string => {
    const bytes = Buffer.from(text, "base64url");
    const index = at < 0 ? bytes.length + at : at;
    bytes[index] = (bytes[index] ?? 0) ^ 0x01;
    return bytes.toString("base64url");
  };
  const withEnvelope = (stored: Stored, envelope: unknown): Stored => ({ ...stored, $pii: [envelope as PiiEnvelope] });

  it.each([
    ["nonce", (e: PiiEnvelope) => ({ ...e, c: flip(e.c, 3) })],
    ["ciphertext", (e: PiiEnvelope) => ({ ...e, c: flip(e.c, 30) })],
    ["format (3 read as 2)", (e: PiiEnvelope) => ({ ...e, v: 2 as const })],
    ["tag", (e: PiiEnvelope) => ({ ...e, c: flip(e.c, -1) })],
    ["field paths (swapped, to move a value into another field)", (e: PiiEnvelope) => ({ ...e, p: ["/address", "/email", "/age"] })],
    ["field paths (renamed)", (e: PiiEnvelope) => ({ ...e, p: ["/plan2", "/address", "/age"] })],
  ])("rejects a tampered %s with a typed DecryptionError, never garbage", async (_part, tamper) => {
    const { keys, event, stored, envelope } = await storedCustomer();
    const error = await rejection(decryptPersonalData(withEnvelope(stored, tamper(envelope)), event, keys));
    expectDecryptionError(error, "authentication-failed", "/$pii/0");
    expect((error as Error).message).toContain(event.eventId);
  });

  it("rejects an envelope under another subject's key id", async () => {
    const { keys, event, stored, envelope } = await storedCustomer();
    const other = await keys.dekFor("cust-2", { create: true });
    expectDecryptionError(await rejection(decryptPersonalData(withEnvelope(stored, { ...envelope, k: other.keyId }), event, keys)), "authentication-failed", "/$pii/0");
  });

  it("rejects envelopes copied into another event, even of the same type and subject, or read under another type", async () => {
    const { keys, event, stored } = await storedCustomer();
    const other = ctx();
    const otherStored = (await encryptPersonalData(customer, customerPii, other, keys)) as Stored;
    expectDecryptionError(await rejection(decryptPersonalData(stored, other, keys)), "authentication-failed", "/$pii/0");
    expectDecryptionError(await rejection(decryptPersonalData({ ...otherStored, $pii: stored.$pii }, other, keys)), "authentication-failed", "/$pii/0");
    expectDecryptionError(await rejection(decryptPersonalData(stored, { ...event, eventType: "CustomerDeleted" }, keys)), "authentication-failed", "/$pii/0");
  });

  it("rejects data whose emptied places were filled again, or whose parent objects are gone", async () => {
    const { keys, event, stored } = await storedCustomer();
    const refilled = await rejection(decryptPersonalData({ ...stored, email: "eve@example.com" }, event, keys));
    expectDecryptionError(refilled, "misplaced", "/$pii/0");
    expect((refilled as Error).message).toContain('field "/email" cannot go back');
    const transferPii = [{ path: "/payer/name", subject: "/payer/id" }];
    const transfer = (await encryptPersonalData({ payer: { id: "p", name: "P" } }, transferPii, event, keys)) as Stored;
    expectDecryptionError(await rejection(decryptPersonalData({ $pii: transfer.$pii }, event, keys)), "misplaced", "/$pii/0");
    expectDecryptionError(await rejection(decryptPersonalData({ ...stored, $pii: [...stored.$pii, ...stored.$pii] }, event, keys)), "misplaced", "/$pii/1");
  });

  it("decrypts stored data, which may then be upcast; data upcast before decryption is refused with the fix named", async () => {
    const { keys, event, stored } = await storedCustomer();
    const operations = [
      { op: "rename", path: "/email", to: "emailAddress" },
      { op: "set-default", path: "/marketing", value: false },
    ] as const;
    const upcast = applyUpcastOperations(await decryptPersonalData(stored, event, keys), operations);
    expect(upcast).toEqual({ customerId: "cust-1", emailAddress: "ada@example.com", address: customer.address, age: 36, plan: "gold", marketing: false });
    const early = await rejection(decryptPersonalData(applyUpcastOperations(stored, operations), { ...event, schemaVersion: 2 }, keys));
    expectDecryptionError(early, "misplaced", "/$pii/0");
    expect((early as Error).message).toContain("decrypt stored data before upcasting it");
  });

  it("binds the write-time schema version: an edited `sv` fails even when the reader is told the same version", async () => {
    const { keys, event, stored, envelope } = await storedCustomer();
    const error = await rejection(decryptPersonalData(withEnvelope(stored, { ...envelope, sv: 2 }), { ...event, schemaVersion: 2 }, keys));
    expectDecryptionError(error, "authentication-failed", "/$pii/0");
  });

  it("reads the fields of a subject without a key as ERASED, and rejects malformed or unknown envelopes", async () => {
    const { event, stored, envelope } = await storedCustomer();
    expect(await decryptPersonalData(stored, event, newKeys())).toEqual({ ...customer, email: ERASED, address: ERASED, age: ERASED });
    const keys = newKeys();
    expectDecryptionError(await rejection(decryptPersonalData({ ...stored, $pii: "x" }, event, keys)), "malformed-envelope", "/$pii");
    expectDecryptionError(await rejection(decryptPersonalData({ ...stored, $pii: [] }, event, keys)), "malformed-envelope", "/$pii");
    for (const damaged of [{ v: 2, k: "k" }, { ...envelope, c: "!!" }, { ...envelope, c: "AAAA" }, { ...envelope, p: [] }, { ...envelope, p: ["email"] }, { ...envelope, k: "" }, null]) {
      expectDecryptionError(await rejection(decryptPersonalData(withEnvelope(stored, damaged), event, keys)), "malformed-envelope", "/$pii/0");
    }
    expectDecryptionError(await rejection(decryptPersonalData(withEnvelope(stored, { ...envelope, v: 1 }), event, keys)), "unsupported-version", "/$pii/0");
  });

  it("rejects an authentic ciphertext whose plaintext is not one JSON value per path, without quoting the plaintext", async () => {
    const keys = newKeys();
    const event = ctx();
    const dek = await keys.dekFor("cust-1", { create: true });
    for (const plaintext of ["ada@example.com", '["ada@example.com","extra"]']) {
      const nonce = randomXNonce();
      const paths = ["/email"];
      const aad = envelopeAad({ version: 3, keyId: dek.keyId, eventId: event.eventId, eventType: event.eventType, schemaVersion: 1, paths });
      const forged = { $pii: [createEnvelope({ version: 3, keyId: dek.keyId, paths, schemaVersion: 1, nonce, sealed: xchachaSeal(dek.bytes, nonce, Buffer.from(plaintext), aad) })] };
      const error = await rejection(decryptPersonalData(forged, event, keys));
      expectDecryptionError(error, "malformed-envelope", "/$pii/0");
      expect(JSON.stringify({ message: (error as Error).message, cause: String((error as Error).cause) })).not.toContain("ada@");
    }
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
    const { keys, event, stored, envelope } = await storedCustomer();
    for (const data of [{ ...stored, email: "eve@example.com" }, withEnvelope(stored, { ...envelope, c: flip(envelope.c, 30) })]) {
      const error = await rejection(decryptPersonalData(data, event, keys));
      const message = `${(error as Error).message} ${String((error as Error).cause ?? "")}`;
      for (const secret of ["ada@example.com", "cust-1", "eve@"]) expect(message).not.toContain(secret);
    }
  });
});

describe("decryptPersonalDataMany", () => {
  it("copies by default and, for data the caller owns, puts the fields back into its nested containers", async () => {
    const keys = newKeys();
    const pii = [...customerPii, { path: "/holders/*/email", subject: "/holders/*/id" }];
    const data = { ...customer, holders: [{ id: "h1", email: "h1@example.com" }] };
    const event = ctx();
    const stored = JSON.stringify(await encryptPersonalData(data, pii, event, keys));
    const shared = JSON.parse(stored) as unknown;
    const [copy] = await decryptPersonalDataMany([{ data: shared, context: event }], keys);
    expect(copy).toEqual(data);
    expect(shared).toEqual(JSON.parse(stored));
    const owned = JSON.parse(stored) as unknown;
    const [inPlace] = await decryptPersonalDataMany([{ data: owned, context: event }], keys, { owned: true });
    expect(inPlace).toEqual(data);
    expect((inPlace as typeof data).holders).toBe((owned as typeof data).holders);
  });

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

describe("encryptPersonalDataMany", () => {
  it("looks up each subject's key once for a whole batch, and reads back every event", async () => {
    class CountingKeyStore extends InMemoryKeyStore {
      lookups = 0;
      override getKeyBySubject(subjectId: string): Promise<StoredSubjectKey | undefined> {
        this.lookups += 1;
        return super.getKeyBySubject(subjectId);
      }
    }
    const store = new CountingKeyStore();
    const keys = newKeys(store);
    const items = Array.from({ length: 30 }, (_, index) => ({ data: { ...customer, customerId: `cust-${index % 3}` }, fields: customerPii, context: ctx() }));
    const stored = await encryptPersonalDataMany(items, keys);
    expect(store.lookups).toBe(3);
    expect(stored.every((data) => envelopesOf(data).length === 1)).toBe(true);
    const read = await decryptPersonalDataMany(stored.map((data, index) => ({ data, context: (items[index] as (typeof items)[number]).context })), newKeys(store));
    expect(read).toEqual(items.map((item) => item.data));
  });

  it("refuses a batch with one bad event before creating any key", async () => {
    const store = new InMemoryKeyStore();
    const items = [
      { data: customer, fields: customerPii, context: ctx() },
      { data: { ...customer, customerId: 7 }, fields: customerPii, context: ctx() },
    ];
    expect(isCryptoError(await rejection(encryptPersonalDataMany(items, newKeys(store))), "PII_FIELD_INVALID")).toBe(true);
    expect(await store.getKeyBySubject("cust-1")).toBeUndefined();
  });

  it.each([2, 3, 4] as const)("round-trips fields of any size in format %i, small and beyond the reused scratch buffers", async (format) => {
    const keys = newKeys();
    const pii = [{ path: "/note", subject: "/customerId" }];
    for (const size of [0, 1, 900, 1_100, 5_000, 70_000, 300, 3]) {
      const data = { customerId: "cust-1", note: "é€".repeat(size), plan: "gold" };
      const event = ctx();
      const stored = await encryptPersonalData(data, pii, event, keys, { format });
      expect(JSON.stringify(stored)).not.toContain("é€é€");
      expect(await decryptPersonalData(JSON.parse(JSON.stringify(stored)) as unknown, event, keys)).toEqual(data);
    }
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

  it("fails loudly with KEK_MISMATCH under a wrong KEK instead of reading fields as erased", async () => {
    const store = new InMemoryKeyStore();
    const event = ctx();
    const stored = await encryptPersonalData(customer, customerPii, event, newKeys(store));
    const wrongKek = new SubjectKeys({ store, keks: new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" }) });
    const error = await rejection(decryptPersonalData(stored, event, wrongKek));
    expect(isCryptoError(error, "KEK_MISMATCH")).toBe(true);
  });
});
