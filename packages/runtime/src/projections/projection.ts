/**
 * What a projection and an outbox subscription declare. The engines read only these
 * declarations: the handled types (filtered in SQL), the version, the read-model migrations.
 *
 * @module
 */
import type { Transaction } from "kysely";
import type { Migration } from "kysely/migration";
import { InvalidArgumentError } from "../errors.js";
import type { EventRegistry, EventShape, RegistryReadEvent } from "../registry.js";
import type { SubjectErasedEvent } from "../erasure/system-events.js";
import type { RecordedEvent } from "../store/recorded-event.js";
import type { ProjectionFailurePolicy } from "./runner-settings.js";

/**
 * The events a projection of `registry` may handle: the registry's as read (personal-data fields
 * may be `Erased`, so a handler must check `isErased` before using them), and the runtime's
 * system event `$strata.SubjectErased`, on which a read model scrubs the subject's rows.
 */
export type ProjectableEvent<R extends EventRegistry<EventShape>> = RegistryReadEvent<R> | SubjectErasedEvent;

/** The recorded events of the types `T` out of the union `E`. */
// `T extends string` rather than `E["type"]`: TypeScript reads `(A | B)["type"]` of a generic union as an intersection in constraints.
export type HandledEvent<E extends EventShape, T extends string> = RecordedEvent<Extract<E, { readonly type: T }>>;

/** What a projection handler receives besides its batch of events. */
export interface ProjectionContext<DB> {
  /**
   * The transaction that will also write the projection's checkpoint. Scoped with
   * `withSchema(schema)`: unqualified table names resolve to the read-model schema being written
   * (the live one, or the fresh one during a rebuild).
   */
  readonly db: Transaction<DB>;
  /** The Postgres schema being written, for raw `sql` that must qualify its tables. */
  readonly schema: string;
  /** True while the batch goes into a rebuild's fresh schema. */
  readonly rebuilding: boolean;
}

/**
 * A projection: folds events of the types it handles into read-model tables that it owns, in a
 * Postgres schema of its own. The handler must be deterministic and write only through
 * `context.db`; the engine commits its writes and the checkpoint in one transaction.
 */
export interface Projection<E extends EventShape = EventShape, T extends string = E["type"], DB = unknown> {
  readonly kind: "projection";
  /** Stable name: the key of the checkpoint. 1–48 letters, digits, `_` or `-`. */
  readonly name: string;
  /** Bump it when the handler or tables change meaning: the engine rebuilds into fresh tables and swaps. */
  readonly version: number;
  /** The event types handled; others are filtered out in SQL and never reach the handler. */
  readonly handles: readonly T[];
  /** The Postgres schema of the read-model tables (default: the name, `-` replaced by `_`). */
  readonly schema: string;
  /** Kysely migrations creating the read-model tables, applied inside `schema` (and inside a rebuild's fresh schema). */
  readonly migrations: Readonly<Record<string, Migration>>;
  /** Applies one batch, in global order. Throwing rolls back the batch and its checkpoint. */
  handle(events: readonly HandledEvent<E, T>[], context: ProjectionContext<DB>): Promise<void>;
  /**
   * Events per batch and per transaction while following live appends, and the first batch of a
   * catch-up (default 500).
   */
  readonly batchSize?: number;
  /**
   * The largest batch while catching up: after each full batch the next one doubles, from
   * `batchSize` up to this, and falls back to `batchSize` once caught up (or when a large batch
   * fails). Default: 5 000 when `batchSize` is not set; `batchSize` itself (fixed batches) when it
   * is. The handler must accept batches of this size.
   */
  readonly catchUpBatchSize?: number;
  /** What to do with an event the handler keeps failing on (default: the engine's attempts, then stop). */
  readonly failure?: ProjectionFailurePolicy;
}

/** Declaration accepted by {@link defineProjection}. */
export type ProjectionDefinition<E extends EventShape, T extends string, DB> = Omit<Projection<E, T, DB>, "kind" | "schema"> & { readonly schema?: string };

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,47}$/;
const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/** Checks a projection or subscription name; throws `InvalidArgumentError`. */
export function checkProjectionName(name: string, what: string): void {
  if (!NAME.test(name)) throw new InvalidArgumentError(`${what} name "${name.slice(0, 80)}" must be 1–48 letters, digits, "_" or "-", starting with a letter.`);
}

/** Checks the declarations that the engine relies on; throws `InvalidArgumentError`. */
export function checkVersionAndTypes(name: string, version: number, handles: readonly string[]): void {
  if (!(Number.isSafeInteger(version) && version >= 1)) throw new InvalidArgumentError(`Projection "${name}" version must be a positive integer, got ${version}.`);
  if (handles.length === 0) throw new InvalidArgumentError(`Projection "${name}" handles no event type; list the types it folds in "handles".`);
}

/**
 * Declares a projection of the events of `registry`. The registry only types the handler: an
 * unknown type in `handles`, or a wrong field in the handler, fails to compile. `handles` may also
 * name `"$strata.SubjectErased"` (see `scrubSubjectRows`).
 *
 * @example
 * ```ts
 * const balances = defineProjection(bankingRegistry, {
 *   name: "balances", version: 1, handles: ["MoneyDeposited"],
 *   migrations: { "001": { up: (db) => db.schema.createTable("balances").addColumn("account", "text", (c) => c.primaryKey()).addColumn("amount", "bigint").execute() } },
 *   handle: async (events, { db }) => {
 *     for (const event of events) await db.insertInto("balances").values({ account: event.streamId, amount: event.data.amount })
 *       .onConflict((c) => c.column("account").doUpdateSet((eb) => ({ amount: eb("balances.amount", "+", event.data.amount) }))).execute();
 *   },
 * });
 * ```
 */
export function defineProjection<R extends EventRegistry<EventShape>, const T extends ProjectableEvent<R>["type"], DB = Record<string, Record<string, unknown>>>(
  registry: R,
  definition: ProjectionDefinition<ProjectableEvent<R>, T, DB>,
): Projection<ProjectableEvent<R>, T, DB> {
  void registry;
  checkProjectionName(definition.name, "Projection");
  checkVersionAndTypes(definition.name, definition.version, definition.handles);
  for (const [option, value] of [["batchSize", definition.batchSize], ["catchUpBatchSize", definition.catchUpBatchSize]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1)) throw new InvalidArgumentError(`Projection "${definition.name}" ${option} must be a positive integer, got ${value}.`);
  }
  const schema = definition.schema ?? definition.name.replaceAll("-", "_");
  if (!SCHEMA.test(schema)) throw new InvalidArgumentError(`Projection "${definition.name}" schema "${schema.slice(0, 80)}" must be 1–48 letters, digits or "_".`);
  return Object.freeze({ ...definition, kind: "projection", schema, handles: Object.freeze([...definition.handles]) });
}
