/**
 * Test kit for broker adapters (ours and yours, a Kafka one for instance): a projection that
 * records every event it applies, and the check that a forwarded-then-consumed sequence is
 * complete, in per-stream order and free of duplicates.
 *
 * @module
 */
import { defineProjection } from "../projections/projection.js";
import type { Projection } from "../projections/projection.js";
import type { EventRegistry, EventShape } from "../registry.js";

/** One row the recording projection wrote, in the order it applied them. */
export interface ReceivedEvent {
  readonly seq: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * A projection into `<schema>.received` that records each event it applies, with a serial
 * number. It never deduplicates: a duplicate shows as a second row.
 */
export function recordingProjection(
  registry: EventRegistry<EventShape>,
  options: { readonly name: string; readonly schema: string; readonly handles: readonly string[] },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- fits the options of any registry's consumer, like the engine's projections.
): Projection<any, any, any> {
  return defineProjection(registry, {
    name: options.name,
    schema: options.schema,
    version: 1,
    handles: options.handles,
    migrations: {
      "001": {
        // Through the schema builder: the engine scopes it to the read-model schema (raw SQL would not be).
        up: async (db) => {
          await db.schema
            .createTable("received")
            .addColumn("seq", "bigserial", (column) => column.primaryKey())
            .addColumn("event_id", "uuid", (column) => column.notNull())
            .addColumn("stream_id", "text", (column) => column.notNull())
            .addColumn("version", "integer", (column) => column.notNull())
            .addColumn("type", "text", (column) => column.notNull())
            .addColumn("schema_version", "integer", (column) => column.notNull())
            .addColumn("data", "jsonb", (column) => column.notNull())
            .addColumn("metadata", "jsonb", (column) => column.notNull())
            .execute();
        },
      },
    },
    handle: async (events, { db }) => {
      if (events.length === 0) return;
      await db
        .insertInto("received")
        .values(
          events.map((event) => ({
            event_id: event.id,
            stream_id: event.streamId,
            version: event.version,
            type: event.type,
            schema_version: event.schemaVersion,
            data: JSON.stringify(event.data),
            metadata: JSON.stringify(event.metadata),
          })),
        )
        .execute();
    },
  });
}

/** Reads what the recording projection in `schema` received, in order. `query` runs one SQL statement. */
export async function readReceived(query: (text: string) => Promise<readonly Record<string, unknown>[]>, schema: string): Promise<ReceivedEvent[]> {
  const rows = await query(`SELECT seq, event_id, stream_id, version, type, schema_version, data, metadata FROM "${schema}".received ORDER BY seq`);
  return rows.map((row) => ({
    seq: Number(row["seq"]),
    eventId: String(row["event_id"]),
    streamId: String(row["stream_id"]),
    version: Number(row["version"]),
    type: String(row["type"]),
    schemaVersion: Number(row["schema_version"]),
    data: typeof row["data"] === "string" ? (JSON.parse(row["data"]) as unknown) : row["data"],
    metadata: (typeof row["metadata"] === "string" ? JSON.parse(row["metadata"]) : row["metadata"]) as Record<string, unknown>,
  }));
}

/**
 * The problems of a delivery: appended events missing, events received twice, events received
 * that were never appended, and streams received out of order. Empty when the delivery is right.
 */
export function deliveryProblems(appended: readonly { readonly id: string; readonly streamId: string; readonly version: number }[], received: readonly ReceivedEvent[]): string[] {
  const problems: string[] = [];
  const expected = new Set(appended.map((event) => event.id));
  const seen = new Map<string, number>();
  for (const event of received) seen.set(event.eventId, (seen.get(event.eventId) ?? 0) + 1);
  const missing = [...expected].filter((id) => !seen.has(id));
  if (missing.length > 0) problems.push(`${missing.length} appended event(s) never received, e.g. ${missing.slice(0, 3).join(", ")}`);
  const twice = [...seen].filter(([, count]) => count > 1).map(([id]) => id);
  if (twice.length > 0) problems.push(`${twice.length} event(s) received more than once, e.g. ${twice.slice(0, 3).join(", ")}`);
  const unknown = [...seen.keys()].filter((id) => !expected.has(id));
  if (unknown.length > 0) problems.push(`${unknown.length} event(s) received that were not appended, e.g. ${unknown.slice(0, 3).join(", ")}`);
  const last = new Map<string, number>();
  for (const event of received) {
    const before = last.get(event.streamId) ?? 0;
    if (event.version <= before) problems.push(`stream ${event.streamId}: version ${event.version} received after ${before}`);
    last.set(event.streamId, Math.max(before, event.version));
  }
  return problems;
}
