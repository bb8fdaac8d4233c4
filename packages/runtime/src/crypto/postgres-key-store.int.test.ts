import { randomBytes, randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { migrateStorage } from "../migrations/migrate.js";
import { createStorage } from "../storage/create-storage.js";
import type { Storage } from "../storage/storage.js";
import { describeEachBackend } from "../testing/backends.js";
import type { KeyStore } from "./key-store.js";
import { LocalKekProvider } from "./local-kek-provider.js";
import { createPostgresKeyStore } from "./postgres-key-store.js";
import { SubjectKeys } from "./subject-keys.js";

const wrapped = (): Uint8Array => new Uint8Array(randomBytes(61));

describeEachBackend("createPostgresKeyStore", (backend) => {
  const open = async (): Promise<{ storage: Storage; keys: KeyStore; schema: string }> => {
    const schema = backend.freshSchema();
    const storage = createStorage(backend.database());
    await migrateStorage(storage, schema);
    return { storage, keys: createPostgresKeyStore({ storage, schema }), schema };
  };

  it("creates a key per subject, finds it by subject and by id, and deletes it on erasure", async () => {
    const { storage, keys } = await open();
    const key = { keyId: "k-1", subjectId: "subject-1", kekId: "v1", wrappedDek: wrapped() };
    const created = await keys.createKey(key);
    expect(created).toMatchObject({ keyId: "k-1", subjectId: "subject-1", kekId: "v1" });
    expect(Buffer.from(created.wrappedDek).equals(Buffer.from(key.wrappedDek))).toBe(true);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect((await keys.getKeyBySubject("subject-1"))?.keyId).toBe("k-1");
    expect([...(await keys.getKeysById(["k-1", "k-missing"])).keys()]).toEqual(["k-1"]);
    expect(await keys.getKeysById([])).toEqual(new Map());
    expect(await keys.deleteKey("subject-1")).toBe(true);
    expect(await keys.deleteKey("subject-1")).toBe(false);
    expect(await keys.getKeyBySubject("subject-1")).toBeUndefined();
    expect(await keys.getKeysById(["k-1"])).toEqual(new Map());
    await storage.close();
  });

  it("keeps the first key when writers race to create one for the same subject", async () => {
    const { storage, keys } = await open();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) => keys.createKey({ keyId: `race-${index}`, subjectId: "racer", kekId: "v1", wrappedDek: wrapped() })),
    );
    expect(new Set(results.map((result) => result.keyId)).size).toBe(1);
    expect(await keys.listKeys({ limit: 100 })).toHaveLength(1);
    await storage.close();
  });

  it("pages through keys in key-id byte order and compare-and-sets the wrapping", async () => {
    const { storage, keys } = await open();
    const ids = ["b", "a", "C", "aa", "_"];
    for (const [index, keyId] of ids.entries()) await keys.createKey({ keyId, subjectId: `s-${index}`, kekId: "v1", wrappedDek: wrapped() });
    const first = await keys.listKeys({ limit: 2 });
    const rest = await keys.listKeys({ afterKeyId: first.at(-1)?.keyId ?? "", limit: 10 });
    expect([...first, ...rest].map((key) => key.keyId)).toEqual([...ids].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    const next = wrapped();
    expect(await keys.replaceWrapping("a", next, "v2", "v1")).toBe(true);
    expect(await keys.replaceWrapping("a", wrapped(), "v3", "v1")).toBe(false);
    expect(await keys.replaceWrapping("missing", wrapped(), "v2", "v1")).toBe(false);
    const stored = (await keys.getKeysById(["a"])).get("a");
    expect(stored?.kekId).toBe("v2");
    expect(Buffer.from(stored?.wrappedDek ?? []).equals(Buffer.from(next))).toBe(true);
    await storage.close();
  });

  it("serves SubjectKeys: keys survive a new process, KEK rotation re-wraps them all, erasure removes them", async () => {
    const { storage, keys: store } = await open();
    const v1 = randomBytes(32);
    const v2 = randomBytes(32);
    const before = new SubjectKeys({ store, keks: new LocalKekProvider({ keks: { v1 }, current: "v1" }) });
    const subjects = Array.from({ length: 5 }, () => randomUUID());
    const created = await Promise.all(subjects.map((subject) => before.dekFor(subject, { create: true })));

    const rotating = new SubjectKeys({ store, keks: new LocalKekProvider({ keks: { v1, v2 }, current: "v2" }) });
    const report = await rotating.rotateKek({ batchSize: 2 });
    expect(report).toEqual({ toKekId: "v2", scanned: 5, rewrapped: 5, alreadyCurrent: 0, skipped: 0 });
    expect(await rotating.rotateKek()).toMatchObject({ scanned: 5, rewrapped: 0, alreadyCurrent: 5 });

    // A process holding only the new KEK reads every data key, unchanged.
    const after = new SubjectKeys({ store, keks: new LocalKekProvider({ keks: { v2 }, current: "v2" }) });
    const found = await after.deksByKeyId(created.map((dek) => dek.keyId));
    for (const dek of created) expect(found.get(dek.keyId)?.key.export().equals(dek.key.export())).toBe(true);

    expect(await after.forget(subjects[0] ?? "")).toBe(true);
    expect(await after.dekFor(subjects[0] ?? "")).toBeUndefined();
    await storage.close();
  });
});
