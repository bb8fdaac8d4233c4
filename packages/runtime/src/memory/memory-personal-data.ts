/**
 * Crypto-shredding for the in-memory store: the same envelope encryption as the PostgreSQL
 * store (pii-codec), with data keys in any {@link KeyStore} (an {@link InMemoryKeyStore} unless
 * one is given) and a KEK provider (a random in-memory KEK unless one is given). What the
 * storage holds is the ciphertext, never the personal fields in clear.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { InMemoryKeyStore } from "../crypto/in-memory-key-store.js";
import type { KekProvider } from "../crypto/kek-provider.js";
import type { KeyStore } from "../crypto/key-store.js";
import { LocalKekProvider } from "../crypto/local-kek-provider.js";
import { encryptPersonalData } from "../crypto/pii-codec.js";
import { decryptPersonalDataMany } from "../crypto/pii-decrypt.js";
import { SubjectKeys } from "../crypto/subject-keys.js";
import { systemEventSpec } from "../erasure/system-events.js";
import type { EventRegistry, PiiFieldSpec } from "../registry.js";
import type { PreparedEvent } from "../store/prepare-events.js";
import type { MemoryEventRow } from "./memory-storage.js";

/** How an in-memory store treats personal data; see `MemoryEventStoreOptions.personalData`. */
export type MemoryPersonalDataOption = { readonly kek?: KekProvider; readonly keyStore?: KeyStore } | "unencrypted";

/** The store's personal-data layer. */
export interface MemoryPersonalData {
  /** The event's data with every personal field encrypted (keys are created on first use). */
  encrypt(event: PreparedEvent): Promise<unknown>;
  /** Stored rows with their personal fields decrypted (`ERASED` for an erased subject). */
  decrypt<T extends MemoryEventRow>(rows: readonly T[]): Promise<readonly T[]>;
  /** Erasure: deletes the subject's data key. Returns whether it had one. */
  erase(subjectId: string): Promise<boolean>;
}

/** Builds the layer, or `undefined` for `"unencrypted"` (the caller refuses that when unsuitable). */
export function createMemoryPersonalData(registry: EventRegistry, option: MemoryPersonalDataOption | undefined): MemoryPersonalData | undefined {
  if (option === "unencrypted") return undefined;
  const kek = option?.kek ?? new LocalKekProvider({ keks: { memory: randomBytes(32) }, current: "memory" }, "createMemoryEventStore");
  const keys = new SubjectKeys({ store: option?.keyStore ?? new InMemoryKeyStore(), keks: kek });
  const piiOf = (type: string, version: number): readonly PiiFieldSpec[] => (registry.events[type] ?? systemEventSpec(type))?.versions[version]?.pii ?? [];
  return {
    encrypt: (event) => encryptPersonalData(event.data, piiOf(event.type, event.schemaVersion), { eventId: event.id, eventType: event.type, schemaVersion: event.schemaVersion }, keys),
    async decrypt(rows) {
      const plain = await decryptPersonalDataMany(
        rows.map((row) => ({ data: row.data, context: { eventId: row.event_id, eventType: row.type, schemaVersion: row.schema_version } })),
        keys,
      );
      return rows.map((row, index) => (plain[index] === row.data ? row : { ...row, data: plain[index] }));
    },
    erase: (subjectId) => keys.forget(subjectId),
  };
}
