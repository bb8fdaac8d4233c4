/**
 * Subject access (GDPR Art. 15): every personal-data field of one subject across all events,
 * decrypted. Works without the application's registry: envelopes name their data key, and the
 * subject's data key is found by subject id.
 *
 * @module
 */
import { CompiledQuery } from "kysely";
import { decryptPersonalDataMany, personalFieldsOf } from "../crypto/pii-decrypt.js";
import { child, parsePointer } from "../crypto/pii-paths.js";
import type { SubjectKeys } from "../crypto/subject-keys.js";
import type { QueryRunner } from "../storage/storage.js";

/** One personal-data field of the subject, at the place and schema version it was written with. */
export interface ExportedField {
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  /** The schema version the event was written with; `path` is a JSON Pointer into that version's data. */
  readonly schemaVersion: number;
  /** ISO 8601. */
  readonly recordedAt: string;
  readonly path: string;
  readonly value: unknown;
}

/** What {@link exportSubject} returns: serialise it with `JSON.stringify`. */
export interface SubjectExport {
  readonly subjectId: string;
  readonly exportedAt: string;
  /** Empty when the subject has no data key: never had personal data here, or was erased. */
  readonly fields: readonly ExportedField[];
}

/** Where to read, and whose data. */
export interface ExportSubjectOptions {
  readonly storage: QueryRunner;
  readonly schema?: string | undefined;
  readonly keys: SubjectKeys;
  readonly subjectId: string;
  /** Events per round trip (default 500). */
  readonly pageSize?: number | undefined;
}

interface Row {
  readonly event_id: string;
  readonly stream_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly recorded_at_ms: number;
  readonly global_position: string | number | bigint;
}

/**
 * Exports every personal field of `subjectId`, in global-position order. Scans the events whose
 * data mentions the subject's key id (a full scan of the events table: a rare, offline request).
 *
 * @throws `DecryptionError` when one of the subject's fields was tampered with.
 */
export async function exportSubject(options: ExportSubjectOptions): Promise<SubjectExport> {
  const exportedAt = new Date().toISOString();
  const dek = await options.keys.dekFor(options.subjectId);
  if (dek === undefined) return { subjectId: options.subjectId, exportedAt, fields: [] };
  const table = `"${(options.schema ?? "strata").replaceAll('"', '""')}".events`;
  const text = `SELECT event_id::text AS event_id, stream_id, type, schema_version, data, global_position,
      (extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_at_ms
    FROM ${table} WHERE global_position > $1::bigint AND strpos(data::text, $2) > 0 ORDER BY global_position LIMIT $3`;
  const limit = options.pageSize ?? 500;
  const fields: ExportedField[] = [];
  let after = "0";
  for (;;) {
    const { rows } = await options.storage.execute<Row>(CompiledQuery.raw(text, [after, JSON.stringify(dek.keyId), limit]));
    const plain = await decryptPersonalDataMany(
      rows.map((row) => ({ data: row.data, context: { eventId: row.event_id, eventType: row.type, schemaVersion: row.schema_version } })),
      options.keys,
    );
    rows.forEach((row, index) => {
      const context = { eventId: row.event_id, eventType: row.type, schemaVersion: row.schema_version };
      for (const envelope of personalFieldsOf(row.data, context)) {
        if (envelope.keyId !== dek.keyId) continue;
        for (const path of envelope.paths) {
          fields.push({
            eventId: row.event_id,
            streamId: row.stream_id,
            type: row.type,
            schemaVersion: row.schema_version,
            recordedAt: new Date(row.recorded_at_ms).toISOString(),
            path,
            value: parsePointer(path).reduce<unknown>((value, segment) => child(value, segment), plain[index]),
          });
        }
      }
    });
    const last = rows.at(-1);
    if (last === undefined || rows.length < limit) return { subjectId: options.subjectId, exportedAt, fields };
    after = String(last.global_position);
  }
}
