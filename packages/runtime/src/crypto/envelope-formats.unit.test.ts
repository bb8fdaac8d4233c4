import { randomBytes, randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PiiFieldSpec } from "../registry.js";
import { isCryptoError } from "./crypto-errors.js";
import { ENVELOPE_VERSION, PII_ROOT_KEY, READABLE_ENVELOPE_VERSIONS } from "./envelope.js";
import type { PiiEnvelope } from "./envelope.js";
import { isErased } from "./erased.js";
import { InMemoryKeyStore } from "./in-memory-key-store.js";
import { LocalKekProvider } from "./local-kek-provider.js";
import { encryptPersonalData } from "./pii-codec.js";
import { decryptPersonalData, decryptPersonalDataMany } from "./pii-decrypt.js";
import { SubjectKeys } from "./subject-keys.js";
import { rejection } from "../../test/fixtures/rejection.js";

const keks = new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" });
const pii: readonly PiiFieldSpec[] = [
  { path: "/name", subject: "/customerId" },
  { path: "/email", subject: "/customerId" },
];
const ctx = () => ({ eventId: randomUUID(), eventType: "CustomerRegistered", schemaVersion: 1 });
const envelopeOf = (stored: unknown): PiiEnvelope => ((stored as Record<string, PiiEnvelope[]>)[PII_ROOT_KEY] ?? [])[0] as PiiEnvelope;
/** Format and sealed bytes of the first envelope, in any format (format 4 is the flat list `[4, sv, k, n, …paths, c]`). */
const sealedOf = (stored: unknown): { v: number; c: string } => {
  const list = (stored as Record<string, unknown[]>)[PII_ROOT_KEY] ?? [];
  if (list[0] === 4) return { v: 4, c: list[2 + 2 + (list[3] as number)] as string };
  return envelopeOf(stored);
};
const nonceBytes = { 2: 12, 3: 24, 4: 24 } as const;

describe("envelope formats", () => {
  it("writes format 4 by default and reads formats 2, 3 and 4", () => {
    expect(ENVELOPE_VERSION).toBe(4);
    expect([...READABLE_ENVELOPE_VERSIONS]).toEqual([2, 3, 4]);
  });

  it.each(READABLE_ENVELOPE_VERSIONS)("round-trips any JSON values in format %i, and reads ERASED after erasure", async (format) => {
    const keys = new SubjectKeys({ store: new InMemoryKeyStore(), keks });
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.string(), async (name, email) => {
        const event = ctx();
        const data = { customerId: "c-1", name, email };
        const stored = await encryptPersonalData(data, pii, event, keys, { format });
        const envelope = sealedOf(stored);
        expect(envelope.v).toBe(format);
        expect(Buffer.from(envelope.c, "base64url").byteLength).toBe(nonceBytes[format] + 16 + Buffer.byteLength(JSON.stringify([name, email])));
        expect(await decryptPersonalData(stored, event, keys)).toEqual(JSON.parse(JSON.stringify(data)));
      }),
      { numRuns: 50 },
    );
    const event = ctx();
    const stored = await encryptPersonalData({ customerId: "c-1", name: "Ada", email: "a@x" }, pii, event, keys, { format });
    await keys.forget("c-1");
    const erased = (await decryptPersonalData(stored, event, keys)) as Record<string, unknown>;
    expect(isErased(erased["name"])).toBe(true);
    expect(isErased(erased["email"])).toBe(true);
  });

  it("reads a batch mixing all formats under one key", async () => {
    const keys = new SubjectKeys({ store: new InMemoryKeyStore(), keks });
    const events = await Promise.all(
      ([2, 3, 4, 2, 4, 3] as const).map(async (format, index) => {
        const context = ctx();
        return { context, data: await encryptPersonalData({ customerId: "c-1", name: `n${index}`, email: "e" }, pii, context, keys, { format }) };
      }),
    );
    const plain = (await decryptPersonalDataMany(events, keys)) as { name: string }[];
    expect(plain.map((event) => event.name)).toEqual(["n0", "n1", "n2", "n3", "n4", "n5"]);
  });

  it.each([
    [2, 3],
    [3, 2],
    [3, 4],
    [4, 3],
  ] as const)("refuses a format-%i envelope relabelled as format %i (the format is bound)", async (from, to) => {
    const keys = new SubjectKeys({ store: new InMemoryKeyStore(), keks });
    const event = ctx();
    const stored = (await encryptPersonalData({ customerId: "c-1", name: "Ada", email: "a@x" }, pii, event, keys, { format: from })) as Record<string, unknown>;
    const list = stored[PII_ROOT_KEY] as unknown[];
    const envelope = from === 4 ? { v: to, k: list[2], sv: list[1], p: list.slice(4, 6), c: list[6] } : envelopeOf(stored);
    const relabelled = { ...stored, [PII_ROOT_KEY]: to === 4 ? [4, envelope.sv, envelope.k, 2, ...envelope.p, envelope.c] : [{ ...envelope, v: to }] };
    const error = await rejection(decryptPersonalData(relabelled, event, keys));
    expect(isCryptoError(error, "DECRYPTION_FAILED")).toBe(true);
    expect((error as Error).message).not.toContain("Ada");
  });
});
