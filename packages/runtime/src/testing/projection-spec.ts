/**
 * Given/When/Then for projections: given past events, when new events arrive, then the read
 * model looks like this. Every event is applied twice, each time in its own transaction, and the
 * spec fails unless the read model after the doubled run equals the one after a single run:
 * that proves the handler idempotent (safe if a batch were ever delivered again).
 *
 * @module
 */
import { sql } from "kysely";
import type { Kysely, Transaction } from "kysely";
import { v7 as uuidv7 } from "uuid";
import type { EventShape } from "../registry.js";
import type { HandledEvent, Projection } from "../projections/projection.js";
import { migrateReadModel } from "../projections/internal/read-model-schema.js";
import { READ_MODEL_MIGRATIONS } from "../projections/internal/read-model-schema.js";
import type { StoreAccess } from "../projections/internal/store-access.js";
import { createStorage } from "../storage/create-storage.js";
import type { DatabaseConfig } from "../storage/create-storage.js";
import type { Storage } from "../storage/storage.js";
import { encodeCheckpoint } from "../store/checkpoint.js";
import { assertDeepEqual } from "./assert-deep-equal.js";

/** An event of a spec: its type and data, and optionally where and when it was recorded. */
export type SpecEvent<E extends EventShape, T extends E["type"]> = Extract<E, { readonly type: T }> extends infer X
  ? X extends EventShape
    ? { readonly type: X["type"]; readonly data: X["data"]; readonly streamId?: string; readonly id?: string; readonly recordedAt?: Date; readonly metadata?: Readonly<Record<string, unknown>> }
    : never
  : never;

/** The `when` step of a projection spec. */
export interface ProjectionWhen<E extends EventShape, T extends E["type"], DB> extends ProjectionThen<DB> {
  /** Events that arrive after the `given` ones. */
  when(events: readonly SpecEvent<E, T>[]): ProjectionThen<DB>;
}

/** The `then` step: `await spec.given(...).when(...).then(async (db) => { ... })`. */
export interface ProjectionThen<DB> {
  /**
   * Applies the events (each twice, checking idempotence), then runs `assert` against the read
   * model, scoped to its schema.
   */
  then(assert: (db: Kysely<DB>) => Promise<void> | void): Promise<void>;
}

/** A projection spec bound to one database; see {@link projectionSpec}. */
export interface ProjectionSpec<E extends EventShape, T extends E["type"], DB> {
  /** Events that already happened. */
  given(events: readonly SpecEvent<E, T>[]): ProjectionWhen<E, T, DB>;
  /** Closes the database the spec opened. */
  close(): Promise<void>;
}

let schemaCounter = 0;

function toRecorded(events: readonly EventShape[]): HandledEvent<EventShape, string>[] {
  const versions = new Map<string, number>();
  return events.map((raw, index) => {
    const event = raw as EventShape & { streamId?: string; id?: string; recordedAt?: Date; metadata?: Readonly<Record<string, unknown>> };
    const streamId = event.streamId ?? "stream-1";
    const version = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, version);
    const position = BigInt(index + 1);
    return {
      id: event.id ?? uuidv7(),
      streamId,
      version,
      globalPosition: position,
      checkpoint: encodeCheckpoint("1", position),
      type: event.type,
      schemaVersion: 1,
      storedSchemaVersion: 1,
      data: event.data,
      metadata: event.metadata ?? {},
      recordedAt: event.recordedAt ?? new Date(0),
    } as HandledEvent<EventShape, string>;
  });
}

async function dump(db: Kysely<unknown>, schema: string): Promise<Record<string, unknown[]>> {
  const { rows: tables } = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = ${schema} AND table_name NOT LIKE ${`${READ_MODEL_MIGRATIONS}%`} ORDER BY table_name`.execute(db);
  const result: Record<string, unknown[]> = {};
  for (const { table_name: table } of tables) {
    const { rows } = await sql<{ row: string }>`SELECT to_jsonb(t)::text AS row FROM ${sql.table(`${schema}.${table}`)} AS t ORDER BY 1`.execute(db);
    result[table] = rows.map((row) => JSON.parse(row.row) as unknown);
  }
  return result;
}

/**
 * Starts a projection spec. Opens an in-memory PGlite unless `database` is given; each spec run
 * uses fresh schemas of it, so one spec object serves many cases.
 *
 * @example
 * ```ts
 * const spec = projectionSpec(balances);
 * afterAll(() => spec.close());
 * it("adds deposits", () =>
 *   spec.given([{ type: "AccountOpened", data: { owner: "Ada" }, streamId: "a" }])
 *     .when([{ type: "MoneyDeposited", data: { amount: 5, currency: "EUR" }, streamId: "a" }])
 *     .then(async (db) => expect(await db.selectFrom("balances").selectAll().execute()).toEqual([{ account: "a", amount: "5" }])));
 * ```
 */
export function projectionSpec<E extends EventShape, T extends E["type"], DB>(
  projection: Projection<E, T, DB>,
  options: { readonly database?: DatabaseConfig } = {},
): ProjectionSpec<E, T, DB> {
  let storage: Storage | undefined;
  const open = (): Storage => (storage ??= createStorage(options.database ?? { kind: "pglite" }));
  const unit = projection as unknown as Projection;

  const fold = async (events: readonly HandledEvent<EventShape, string>[], times: 1 | 2): Promise<string> => {
    const schema = `strata_spec_${process.pid}_${(schemaCounter += 1)}`;
    const access = { storage: open() } as StoreAccess;
    await migrateReadModel(access, unit, schema);
    for (const [index, event] of events.entries()) {
      for (let time = 0; time < times; time += 1) {
        try {
          await open().withKysely((db) =>
            db.transaction().execute((trx: Transaction<unknown>) => unit.handle([event], { db: trx.withSchema(schema), schema, rebuilding: false })),
          );
        } catch (error) {
          if (time === 0) throw error;
          throw new Error(`Projection "${projection.name}" is not idempotent: it threw when event #${index + 1} (${event.type}) was applied a second time.`, { cause: error });
        }
      }
    }
    return schema;
  };

  const run = async (events: readonly HandledEvent<EventShape, string>[], assert: (db: Kysely<DB>) => Promise<void> | void): Promise<void> => {
    const once = await fold(events, 1);
    const twice = await fold(events, 2);
    try {
      await open().withKysely(async (db) => {
        assertDeepEqual(
          await dump(db, twice),
          await dump(db, once),
          `Projection "${projection.name}" is not idempotent: applying each event twice left a different read model than applying it once.`,
        );
      });
      await assert((await open().withKysely(async (db) => db.withSchema(once))) as Kysely<DB>);
    } finally {
      await open().withKysely(async (db) => {
        for (const schema of [once, twice]) await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
      });
    }
  };

  return {
    given: (given) => {
      const then = (events: readonly SpecEvent<E, T>[]): ProjectionThen<DB> => ({
        then: (assert) => run(toRecorded([...given, ...events] as readonly EventShape[]), assert),
      });
      return { when: (events) => then(events), then: then([]).then };
    },
    close: async () => {
      await storage?.close();
    },
  };
}
