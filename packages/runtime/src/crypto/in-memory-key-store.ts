/** A {@link KeyStore} in process memory, for tests and examples. Not durable: every key is lost with the process. */
import type { KeyPage, KeyStore, NewSubjectKey, StoredSubjectKey } from "./key-store.js";

/** Keys in a `Map`. Copies byte arrays in and out, so callers cannot alter stored keys by accident. */
export class InMemoryKeyStore implements KeyStore {
  readonly #bySubject = new Map<string, StoredSubjectKey>();
  readonly #byId = new Map<string, StoredSubjectKey>();
  readonly #kekChecks = new Map<string, Uint8Array>();

  getKeyBySubject(subjectId: string): Promise<StoredSubjectKey | undefined> {
    return Promise.resolve(copy(this.#bySubject.get(subjectId)));
  }

  getKeysById(keyIds: readonly string[]): Promise<ReadonlyMap<string, StoredSubjectKey>> {
    const found = new Map<string, StoredSubjectKey>();
    for (const keyId of keyIds) {
      const key = copy(this.#byId.get(keyId));
      if (key !== undefined) found.set(keyId, key);
    }
    return Promise.resolve(found);
  }

  createKey(key: NewSubjectKey): Promise<StoredSubjectKey> {
    const existing = this.#bySubject.get(key.subjectId);
    if (existing !== undefined) return Promise.resolve(copy(existing));
    if (this.#byId.has(key.keyId)) return Promise.reject(new Error(`Key id ${key.keyId} is already taken by another subject.`));
    const stored: StoredSubjectKey = { ...key, wrappedDek: Uint8Array.from(key.wrappedDek), createdAt: new Date() };
    this.#bySubject.set(key.subjectId, stored);
    this.#byId.set(key.keyId, stored);
    return Promise.resolve(copy(stored));
  }

  deleteKey(subjectId: string): Promise<boolean> {
    const existing = this.#bySubject.get(subjectId);
    if (existing === undefined) return Promise.resolve(false);
    this.#bySubject.delete(subjectId);
    this.#byId.delete(existing.keyId);
    return Promise.resolve(true);
  }

  listKeys(page: KeyPage): Promise<readonly StoredSubjectKey[]> {
    const after = page.afterKeyId;
    const ids = [...this.#byId.keys()].filter((id) => after === undefined || id > after).sort();
    return Promise.resolve(ids.slice(0, page.limit).map((id) => copy(this.#byId.get(id) as StoredSubjectKey)));
  }

  replaceWrapping(keyId: string, wrappedDek: Uint8Array, kekId: string, expectedKekId: string): Promise<boolean> {
    const existing = this.#byId.get(keyId);
    if (existing === undefined || existing.kekId !== expectedKekId) return Promise.resolve(false);
    const replaced: StoredSubjectKey = { ...existing, kekId, wrappedDek: Uint8Array.from(wrappedDek) };
    this.#byId.set(keyId, replaced);
    this.#bySubject.set(existing.subjectId, replaced);
    return Promise.resolve(true);
  }

  findKeyWrappedBy(kekId: string): Promise<StoredSubjectKey | undefined> {
    return Promise.resolve(copy([...this.#byId.values()].find((key) => key.kekId === kekId)));
  }

  getKekCheck(kekId: string): Promise<Uint8Array | undefined> {
    const check = this.#kekChecks.get(kekId);
    return Promise.resolve(check === undefined ? undefined : Uint8Array.from(check));
  }

  putKekCheck(kekId: string, check: Uint8Array): Promise<Uint8Array> {
    if (!this.#kekChecks.has(kekId)) this.#kekChecks.set(kekId, Uint8Array.from(check));
    return Promise.resolve(Uint8Array.from(this.#kekChecks.get(kekId) as Uint8Array));
  }
}

function copy<K extends StoredSubjectKey | undefined>(key: K): K {
  return (key === undefined ? undefined : { ...key, wrappedDek: Uint8Array.from(key.wrappedDek) }) as K;
}
