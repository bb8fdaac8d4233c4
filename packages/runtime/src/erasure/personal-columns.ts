/**
 * Encrypted read-model columns: a projection keeps a personal field sealed with the data
 * subject's own key (XChaCha20-Poly1305, as envelope format 3), and the query side opens it. A
 * dump of the read model without the KEK reveals nothing, and erasure needs no scrub there: once
 * the subject's key is deleted, the column reads back as the erased marker.
 *
 * Stored form (a `text` column): `strata:col:3:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`.
 * The associated data binds the key id, the table, the column and the row's key, so a value
 * copied into another row or column fails to open. A value that was already erased when the
 * projection saw it is stored as the marker's JSON, `{"$erased":true}`.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { CompiledQuery, Kysely, QueryResult } from "kysely";
import { isCryptoError } from "../crypto/crypto-errors.js";
import { DecryptionError } from "../crypto/crypto-errors.js";
import { ERASED, isErased } from "../crypto/erased.js";
import type { SubjectKeys } from "../crypto/subject-keys.js";
import { randomXNonce, XCHACHA_NONCE_BYTES, xchachaOpen, xchachaSeal } from "../crypto/xchacha20-poly1305.js";
import type { QueryRunner } from "../storage/storage.js";

const PREFIX = "strata:col:3:";
const MARKER = JSON.stringify(ERASED);

/** Where a sealed value lives; all three are bound into its associated data. */
export interface ColumnPlace {
  readonly table: string;
  readonly column: string;
  /** The row's key (for example the customer id). */
  readonly rowKey: string;
}

/** Seals and opens personal read-model columns. Created by `PersonalDataStore.personalColumns`. */
export interface PersonalColumns {
  /**
   * Seals `value` (any JSON) under `subjectId`'s key, inside a projection handler: pass the
   * handler's `db` so a key lookup runs in its transaction (PGlite has one connection). An erased
   * value, or a subject erased meanwhile, gives the stored marker.
   */
  seal(db: Kysely<unknown>, subjectId: string, value: unknown, place: ColumnPlace): Promise<string>;
  /** Opens a stored value: the value, or `ERASED` once the subject's key is gone. */
  open(stored: string, place: ColumnPlace): Promise<unknown>;
}

/** The runner of the transaction a `seal` runs in, if any. */
const current = new AsyncLocalStorage<QueryRunner>();

/**
 * A {@link QueryRunner} that runs on the transaction of the current `seal` when there is one, and
 * on `storage` otherwise: what the key store of a {@link PersonalColumns} runs on.
 */
export function transactionAwareRunner(storage: QueryRunner): QueryRunner {
  return { execute: <R>(query: CompiledQuery): Promise<QueryResult<R>> => (current.getStore() ?? storage).execute<R>(query) };
}

function aad(keyId: string, place: ColumnPlace): Buffer {
  return Buffer.from(JSON.stringify(["strata:col", 3, keyId, place.table, place.column, place.rowKey]), "utf8");
}

function damaged(place: ColumnPlace, detail: string, cause?: unknown): DecryptionError {
  return new DecryptionError("malformed-envelope", { eventId: "-", eventType: `read model ${place.table}`, path: `/${place.column}` }, detail, cause === undefined ? undefined : { cause });
}

/** Builds the helper on `keys`, whose key store must run on {@link transactionAwareRunner}. */
export function createPersonalColumns(keys: SubjectKeys): PersonalColumns {
  return {
    async seal(db, subjectId, value, place) {
      if (isErased(value)) return MARKER;
      const dek = await current.run({ execute: <R>(query: CompiledQuery) => db.executeQuery<R>(query) }, () => keys.dekFor(subjectId));
      if (dek === undefined) return MARKER; // erased after the event was read: never resurrect a key
      const nonce = randomXNonce();
      const sealed = xchachaSeal(dek.bytes, nonce, Buffer.from(JSON.stringify(value), "utf8"), aad(dek.keyId, place));
      return `${PREFIX}${dek.keyId}:${Buffer.concat([nonce, sealed]).toString("base64url")}`;
    },
    async open(stored, place) {
      if (stored === MARKER) return ERASED;
      if (!stored.startsWith(PREFIX)) throw damaged(place, "The column does not hold a sealed value.");
      const [keyId, body] = stored.slice(PREFIX.length).split(":");
      if (keyId === undefined || body === undefined) throw damaged(place, "The sealed value is cut short.");
      const dek = (await keys.deksByKeyId([keyId])).get(keyId);
      if (dek === undefined) return ERASED;
      const bytes = Buffer.from(body, "base64url");
      try {
        const plain = xchachaOpen(dek.bytes, bytes.subarray(0, XCHACHA_NONCE_BYTES), bytes.subarray(XCHACHA_NONCE_BYTES), aad(keyId, place));
        return JSON.parse(plain.toString("utf8")) as unknown;
      } catch (cause) {
        // No cause from JSON.parse: its message quotes the plaintext.
        throw damaged(place, "It was altered, or copied from another row or column.", isCryptoError(cause) ? cause : undefined);
      }
    },
  };
}
