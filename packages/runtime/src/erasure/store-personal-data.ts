/**
 * The event store's personal-data layer: encrypts validated events before they are written and
 * decrypts stored rows before they are upcast. The registry's personal-data map (generated from
 * `x-pii` / `x-data-subject`) says which fields of each type and version belong to which subject.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { CompiledQuery } from "kysely";
import { ENVELOPE_VERSION } from "../crypto/envelope.js";
import type { WritableEnvelopeFormat } from "../crypto/envelope-format-option.js";
import { encryptPersonalDataMany } from "../crypto/pii-codec.js";
import { decryptPersonalDataMany, decryptRowsInPlace } from "../crypto/pii-decrypt.js";
import type { DecryptableRow } from "../crypto/pii-decrypt.js";
import type { SubjectKeys } from "../crypto/subject-keys.js";
import type { EventRegistry, PiiFieldSpec } from "../registry.js";
import type { QueryRunner } from "../storage/storage.js";
import type { AppendResult } from "../store/append-result.js";
import type { PreparedBatch, PreparedEvent } from "../store/prepare-events.js";
import { eventByIdSql } from "../store/statements.js";
import { systemEventSpec } from "./system-events.js";

/** What the event store calls around its writes and reads. */
export interface StorePersonalData {
  /** Encrypts every personal field of a validated batch (data keys are created, and committed, first). */
  encryptBatch(runner: QueryRunner, batch: PreparedBatch): Promise<PreparedBatch>;
  /** The append result with the caller's plaintext instead of the stored envelopes. */
  restorePlaintext(plain: PreparedBatch, result: AppendResult): AppendResult;
  /** Decrypts a page of stored rows in one key lookup; erased subjects' fields become `ERASED`. */
  decryptRows<T extends DecryptableRow>(rows: readonly T[]): Promise<readonly T[]>;
}

interface StoredCopy {
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
}

/**
 * The statement that finds the stored rows of a retried batch's ids (`$1`, a uuid array) in the
 * store's `schema`: each id through `event_ids` to the primary key of `events`, which has no
 * index on `event_id` (migration 0008-event-id-lookup).
 */
export function storedCopiesText(schema: string): string {
  return `SELECT e.event_id::text AS event_id, e.type, e.schema_version, e.data
    FROM (SELECT DISTINCT id FROM unnest($1::uuid[]) AS u(id)) i CROSS JOIN LATERAL (${eventByIdSql(schema, "i.id")}) e`;
}

/**
 * Builds the store's personal-data layer for `registry`, encrypting with `keys`; `schema` is the
 * store's Postgres schema (to find earlier copies of retried events); `envelopeFormat` the format
 * new writes use (default {@link ENVELOPE_VERSION}).
 */
export function createStorePersonalData(registry: EventRegistry, keys: SubjectKeys, schema: string, envelopeFormat: WritableEnvelopeFormat = ENVELOPE_VERSION): StorePersonalData {
  const storedCopiesSql = storedCopiesText(schema);
  const piiOf = (type: string, version: number): readonly PiiFieldSpec[] => (registry.events[type] ?? systemEventSpec(type))?.versions[version]?.pii ?? [];

  /**
   * A retried append (same caller ids, same plaintext) must find its first attempt's rows equal to
   * what it writes. Fresh nonces make every encryption differ, so reuse the stored envelopes of an
   * event whose stored plaintext is the same; a different plaintext still fails as a duplicate.
   */
  const storedCopies = async (runner: QueryRunner, batch: PreparedBatch): Promise<Map<string, unknown>> => {
    const reuse = new Map<string, unknown>();
    if (!batch.callerIds) return reuse;
    const query = CompiledQuery.raw(storedCopiesSql, [
      batch.events.map((event) => event.id),
    ]);
    const rows = (await runner.execute<StoredCopy>(query)).rows;
    if (rows.length === 0) return reuse;
    const plain = await decryptPersonalDataMany(
      rows.map((row) => ({ data: row.data, context: { eventId: row.event_id, eventType: row.type, schemaVersion: row.schema_version } })),
      keys,
    );
    const byId = new Map(batch.events.map((event) => [event.id, event]));
    rows.forEach((row, index) => {
      const event = byId.get(row.event_id);
      if (event !== undefined && event.type === row.type && event.schemaVersion === row.schema_version && isDeepStrictEqual(plain[index], event.data)) {
        reuse.set(row.event_id, row.data);
      }
    });
    return reuse;
  };

  return {
    async encryptBatch(runner, batch) {
      const reuse = await storedCopies(runner, batch);
      // One key lookup per subject for the whole batch, then every envelope sealed without waiting.
      const fresh = batch.events.filter((event) => !reuse.has(event.id));
      const sealed = await encryptPersonalDataMany(
        fresh.map((event) => ({ data: event.data, fields: piiOf(event.type, event.schemaVersion), context: { eventId: event.id, eventType: event.type, schemaVersion: event.schemaVersion } })),
        keys,
        { format: envelopeFormat },
      );
      let index = 0;
      const events = batch.events.map((event): PreparedEvent => {
        if (reuse.has(event.id)) return { ...event, data: reuse.get(event.id) };
        const data = sealed[index++];
        return data === event.data ? event : { ...event, data };
      });
      return { ...batch, events };
    },
    restorePlaintext(plain, result) {
      const events = result.events.map((event, index) => ({ ...event, data: plain.events[index]?.data })) as AppendResult["events"];
      return { ...result, events };
    },
    async decryptRows<T extends DecryptableRow>(rows: readonly T[]): Promise<readonly T[]> {
      // The rows were just parsed from the database and nothing else holds them: decrypt in place.
      await decryptRowsInPlace(rows, keys);
      return rows;
    },
  };
}
