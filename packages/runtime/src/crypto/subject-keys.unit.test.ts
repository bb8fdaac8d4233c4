import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isCryptoError } from "./crypto-errors.js";
import { InMemoryKeyStore } from "./in-memory-key-store.js";
import type { KeyStore, StoredSubjectKey } from "./key-store.js";
import { LocalKekProvider } from "./local-kek-provider.js";
import { SubjectKeys } from "./subject-keys.js";
import { rejection } from "../../test/fixtures/rejection.js";

const kek1 = randomBytes(32);
const kek2 = randomBytes(32);
const keksV1 = (): LocalKekProvider => new LocalKekProvider({ keks: { v1: kek1 }, current: "v1" });

/** An in-memory store that counts reads, to see what the cache keeps off the store. */
class CountingKeyStore extends InMemoryKeyStore {
  reads = 0;
  override getKeyBySubject(subjectId: string): Promise<StoredSubjectKey | undefined> {
    this.reads += 1;
    return super.getKeyBySubject(subjectId);
  }
  override getKeysById(keyIds: readonly string[]): Promise<ReadonlyMap<string, StoredSubjectKey>> {
    this.reads += 1;
    return super.getKeysById(keyIds);
  }
}

async function allKeys(store: KeyStore): Promise<readonly StoredSubjectKey[]> {
  return store.listKeys({ limit: 1_000 });
}

describe("SubjectKeys", () => {
  it("creates one key per subject even when many writers race, in one process or across two", async () => {
    const store = new InMemoryKeyStore();
    const here = new SubjectKeys({ store, keks: keksV1() });
    const there = new SubjectKeys({ store, keks: keksV1() });
    const deks = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? here : there).dekFor("alice", { create: true })));
    expect(new Set(deks.map((dek) => dek.keyId)).size).toBe(1);
    expect((await allKeys(store)).map((key) => key.subjectId)).toEqual(["alice"]);
    const exported = new Set(deks.map((dek) => dek.key.export().toString("hex")));
    expect(exported.size).toBe(1);
  });

  it("makes one data key and one KEK call for a burst of first writes in one process", async () => {
    class CountingKeks extends LocalKekProvider {
      wraps = 0;
      override wrap(kekId: string, dek: Uint8Array, context: Uint8Array): Promise<Uint8Array> {
        this.wraps += 1;
        return super.wrap(kekId, dek, context);
      }
    }
    const keks = new CountingKeks({ keks: { v1: kek1 }, current: "v1" });
    const keys = new SubjectKeys({ store: new InMemoryKeyStore(), keks });
    await keys.verifyKeks(); // wraps the KEK's check value, once
    const deks = await Promise.all(Array.from({ length: 5 }, () => keys.dekFor("alice", { create: true })));
    expect(new Set(deks.map((dek) => dek.keyId)).size).toBe(1);
    expect(keks.wraps).toBe(2);
  });

  it("stores the data key only wrapped, by the current KEK", async () => {
    const store = new InMemoryKeyStore();
    const dek = await new SubjectKeys({ store, keks: keksV1() }).dekFor("alice", { create: true });
    const [stored] = await allKeys(store);
    expect(stored?.kekId).toBe("v1");
    expect(Buffer.from(stored?.wrappedDek ?? []).includes(dek.key.export())).toBe(false);
  });

  it("returns undefined for a subject without a key unless asked to create one", async () => {
    const keys = new SubjectKeys({ store: new InMemoryKeyStore(), keks: keksV1() });
    expect(await keys.dekFor("nobody")).toBeUndefined();
    expect((await keys.deksByKeyId(["no-such-key"])).size).toBe(0);
  });

  it("serves cached keys without store reads, evicts the least recently used beyond max", async () => {
    const store = new CountingKeyStore();
    const keys = new SubjectKeys({ store, keks: keksV1(), cache: { max: 2 } });
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((subject) => new SubjectKeys({ store, keks: keksV1() }).dekFor(subject, { create: true })));
    await keys.deksByKeyId([a?.keyId ?? "", b?.keyId ?? ""]);
    const before = store.reads;
    await keys.deksByKeyId([a?.keyId ?? "", b?.keyId ?? ""]);
    expect(store.reads).toBe(before);
    await keys.deksByKeyId([c?.keyId ?? ""]); // evicts a, the least recently used
    const afterC = store.reads;
    expect((await keys.deksByKeyId([b?.keyId ?? "", c?.keyId ?? ""])).size).toBe(2);
    expect(store.reads).toBe(afterC);
    expect((await keys.deksByKeyId([a?.keyId ?? ""])).size).toBe(1);
    expect(store.reads).toBe(afterC + 1);
  });

  it("drops cached keys after their TTL", async () => {
    let now = 5_000;
    const store = new CountingKeyStore();
    const keys = new SubjectKeys({ store, keks: keksV1(), cache: { ttlMs: 1_000, clock: { now: () => now } } });
    await keys.dekFor("alice", { create: true });
    const reads = store.reads;
    now = 5_999;
    await keys.dekFor("alice");
    expect(store.reads).toBe(reads);
    now = 6_001;
    expect(await keys.dekFor("alice")).toBeDefined();
    expect(store.reads).toBe(reads + 1);
  });

  it("forget deletes the key and drops it from the cache, so reads find nothing at once", async () => {
    const store = new InMemoryKeyStore();
    const keys = new SubjectKeys({ store, keks: keksV1() });
    const dek = await keys.dekFor("alice", { create: true });
    await keys.dekFor("bob", { create: true });
    expect(await keys.forget("alice")).toBe(true);
    expect(await keys.forget("alice")).toBe(false);
    expect(await keys.dekFor("alice")).toBeUndefined();
    expect((await keys.deksByKeyId([dek.keyId])).size).toBe(0);
    expect((await allKeys(store)).map((key) => key.subjectId)).toEqual(["bob"]);
  });

  it("does not cache a key whose lookup raced with its erasure", async () => {
    const store = new InMemoryKeyStore();
    const dek = await new SubjectKeys({ store, keks: keksV1() }).dekFor("alice", { create: true });
    const keys = new SubjectKeys({ store, keks: keksV1() });
    const lookup = keys.deksByKeyId([dek.keyId]); // reads the key before the delete lands
    await keys.forget("alice");
    await lookup;
    expect((await keys.deksByKeyId([dek.keyId])).size).toBe(0);
  });

  it("gives a new key to a subject written again after erasure; the old key id stays erased", async () => {
    const keys = new SubjectKeys({ store: new InMemoryKeyStore(), keks: keksV1() });
    const old = await keys.dekFor("alice", { create: true });
    await keys.forget("alice");
    const fresh = await keys.dekFor("alice", { create: true });
    expect(fresh.keyId).not.toBe(old.keyId);
    expect([...(await keys.deksByKeyId([old.keyId, fresh.keyId])).keys()]).toEqual([fresh.keyId]);
  });

  it("refuses other KEK material under a known id (KEK_MISMATCH), a tampered wrapped key (KEY_UNWRAP_FAILED), a missing KEK (KEK_NOT_FOUND)", async () => {
    const store = new InMemoryKeyStore();
    const dek = await new SubjectKeys({ store, keks: keksV1() }).dekFor("alice", { create: true });
    const wrongMaterial = new SubjectKeys({ store, keks: new LocalKekProvider({ keks: { v1: kek2 }, current: "v1" }) });
    for (const attempt of [wrongMaterial.deksByKeyId([dek.keyId]), wrongMaterial.dekFor("bob", { create: true }), wrongMaterial.verifyKeks()]) {
      const mismatch = await rejection(attempt);
      expect(isCryptoError(mismatch, "KEK_MISMATCH")).toBe(true);
      expect((mismatch as Error).message).toContain('KEK "v1"');
    }
    expect(await store.getKeyBySubject("bob")).toBeUndefined();
    await store.replaceWrapping(dek.keyId, randomBytes(61), "v1", "v1");
    const wrong = await rejection(new SubjectKeys({ store, keks: keksV1() }).deksByKeyId([dek.keyId]));
    expect(isCryptoError(wrong, "KEY_UNWRAP_FAILED")).toBe(true);
    expect((wrong as Error).message).toContain(`data key ${dek.keyId} with KEK "v1"`);
    expect((wrong as Error).message).not.toContain("alice");
    const missing = new SubjectKeys({ store, keks: new LocalKekProvider({ keks: { v2: kek2 }, current: "v2" }) });
    expect(isCryptoError(await rejection(missing.dekFor("alice")), "KEK_NOT_FOUND")).toBe(true);
  });
});

describe("SubjectKeys.rotateKek", () => {
  const both = (): LocalKekProvider => new LocalKekProvider({ keks: { v1: kek1, v2: kek2 }, current: "v2" });

  it("re-wraps every key with the new KEK, keeps every data key, and lets the old KEK go", async () => {
    const store = new InMemoryKeyStore();
    const writer = new SubjectKeys({ store, keks: keksV1() });
    const subjects = Array.from({ length: 7 }, (_, index) => `subject-${index}`);
    const before = await Promise.all(subjects.map((subject) => writer.dekFor(subject, { create: true })));
    const progress: number[] = [];
    const report = await new SubjectKeys({ store, keks: both() }).rotateKek({ batchSize: 3, onProgress: (p) => progress.push(p.scanned) });
    expect(report).toEqual({ toKekId: "v2", scanned: 7, rewrapped: 7, alreadyCurrent: 0, skipped: 0 });
    expect(progress).toEqual([3, 6, 7]);
    expect((await allKeys(store)).every((key) => key.kekId === "v2")).toBe(true);
    const onlyV2 = new SubjectKeys({ store, keks: new LocalKekProvider({ keks: { v2: kek2 }, current: "v2" }) });
    const after = await onlyV2.deksByKeyId(before.map((dek) => dek.keyId));
    for (const dek of before) expect(after.get(dek.keyId)?.key.export()).toEqual(dek.key.export());
  });

  it("is resumable: a second run finds everything current", async () => {
    const store = new InMemoryKeyStore();
    await new SubjectKeys({ store, keks: keksV1() }).dekFor("alice", { create: true });
    const keys = new SubjectKeys({ store, keks: both() });
    await keys.rotateKek();
    expect(await keys.rotateKek()).toEqual({ toKekId: "v2", scanned: 1, rewrapped: 0, alreadyCurrent: 1, skipped: 0 });
  });

  it("skips a key erased while the rotation was working on it, and does not bring it back", async () => {
    class ErasingDuringRotation extends InMemoryKeyStore {
      override async replaceWrapping(keyId: string, wrapped: Uint8Array, kekId: string, expected: string): Promise<boolean> {
        await this.deleteKey("alice");
        return super.replaceWrapping(keyId, wrapped, kekId, expected);
      }
    }
    const inner = new ErasingDuringRotation();
    const store: KeyStore = inner;
    await new SubjectKeys({ store: inner, keks: keksV1() }).dekFor("alice", { create: true });
    const report = await new SubjectKeys({ store, keks: both() }).rotateKek();
    expect(report).toMatchObject({ scanned: 1, rewrapped: 0, skipped: 1 });
    expect(await inner.getKeyBySubject("alice")).toBeUndefined();
  });
});
