/**
 * One step of a runner: one batch, read, applied and checkpointed in one transaction
 * (projections), or read, delivered, then checkpointed (subscriptions: at least once).
 */
import type { Kysely, Transaction } from "kysely";
import type { ReadAllPage } from "../../store/event-store.js";
import type { RecordedEvent } from "../../store/recorded-event.js";
import { HandlerFailure } from "./handler-failure.js";
import { isTransientPublishError } from "../../integration/integration-errors.js";
import { traceBatch } from "../../telemetry/projection-telemetry.js";
import type { Projection } from "../projection.js";
import type { Subscription } from "../subscription.js";
import type { Bookkeeping, ProjectionRow } from "./bookkeeping.js";
import type { DeadLetters } from "./dead-letters.js";
import { rebuildSchemaOf, swapSchemas } from "./read-model-schema.js";
import type { StoreAccess } from "./store-access.js";

/** A projection or a subscription, as the runner drives them. */
export type Unit = Projection | Subscription;

export type { Target } from "./handler-failure.js";
import type { Target } from "./handler-failure.js";

/**
 * A page read ahead on the pool while the previous batch was applied: the next step uses it when
 * its checkpoint is still `after` and it asks for the same `limit`, else reads afresh.
 */
export interface ReadAhead {
  readonly after: string;
  readonly limit: number;
  /** Never rejects: a failed read ahead is `undefined`, and the step reads the page itself. */
  readonly page: Promise<ReadAllPage | undefined>;
}

/** How a step may pipeline its page reads. */
export interface Pipelining {
  /** The page read ahead by the previous step, if any. */
  readonly readAhead?: ReadAhead | undefined;
  /** The size of the next batch if this one is full: when set, the next page is read ahead. */
  readonly nextLimit?: number | undefined;
}

/** What a step did. */
export type StepOutcome =
  | { readonly kind: "applied"; readonly count: number; readonly caughtUp: boolean; readonly swapped: boolean; readonly readAhead?: ReadAhead }
  | { readonly kind: "failed-state" }
  | { readonly kind: "lease-lost" };

/** What every step needs. */
export interface StepContext {
  readonly access: StoreAccess;
  readonly book: Bookkeeping;
  readonly dead: DeadLetters;
  readonly unit: Unit;
  readonly owner: string;
  readonly leaseMs: number;
}

const LEASE_LOST = { kind: "lease-lost" } as const;
const FAILED = { kind: "failed-state" } as const;

function holds(row: ProjectionRow | undefined, owner: string): row is ProjectionRow {
  return row !== undefined && row.lease_owner === owner && row.lease_valid;
}

function lastOf(events: readonly RecordedEvent[]): { position: bigint; recordedAt: Date } | undefined {
  const last = events.at(-1);
  return last === undefined ? undefined : { position: last.globalPosition, recordedAt: last.recordedAt };
}

/** What parking needs: the unit (its policy) and the dead-letter statements. */
type ParkingContext = Pick<StepContext, "dead" | "unit">;

/**
 * Splits a page: events of streams with dead letters are parked behind them (so a retry applies
 * the stream in order); the rest go to the handler. Only units with the dead-letter policy park.
 * Also used by the scale-out workers, per partition.
 */
export async function park(ctx: ParkingContext, db: Kysely<unknown>, events: readonly RecordedEvent[]): Promise<{ apply: readonly RecordedEvent[]; parked: readonly RecordedEvent[] }> {
  if (ctx.unit.failure?.onExhausted !== "dead-letter" || events.length === 0) return { apply: events, parked: [] };
  const blocked = await ctx.dead.blocked(db, ctx.unit.name, events.map((event) => event.streamId));
  if (blocked.size === 0) return { apply: events, parked: [] };
  return { apply: events.filter((event) => !blocked.has(event.streamId)), parked: events.filter((event) => blocked.has(event.streamId)) };
}

/** Records `parked` as parked dead letters (in the batch's transaction). */
export async function recordParked(ctx: ParkingContext, db: Kysely<unknown>, parked: readonly RecordedEvent[]): Promise<void> {
  for (const event of parked) await ctx.dead.add(db, ctx.unit.name, event, { status: "parked", attempts: 0, errorCode: null, error: null });
}

/**
 * Starts reading the page after `after` on the pool. Safe outside the batch's transaction: a page
 * holds only rows below a read horizon, and those never change (see `readAll`); the next step
 * checks under its row lock that its checkpoint is still `after` before it uses the page.
 */
function readAhead(ctx: StepContext, after: string, limit: number, types: readonly string[]): ReadAhead {
  return { after, limit, page: ctx.access.readPage(undefined, after, limit, types).catch(() => undefined) };
}

/**
 * Runs one step; throws {@link HandlerFailure} when the handler throws (nothing is committed then).
 * With `pipelining.nextLimit`, a projection step that reads a full page starts reading the next
 * one while it applies this one, and returns it as `readAhead` for the next step.
 */
export async function runStep(ctx: StepContext, target: Target, limit: number, pipelining: Pipelining = {}): Promise<StepOutcome> {
  return ctx.unit.kind === "projection" ? projectionStep(ctx, ctx.unit, target, limit, pipelining) : subscriptionStep(ctx, ctx.unit, limit);
}

async function projectionStep(ctx: StepContext, projection: Projection, target: Target, limit: number, pipelining: Pipelining): Promise<StepOutcome> {
  const { access, book, owner, leaseMs } = ctx;
  // Awaited before the transaction opens: on a pool of one the read ahead needs that connection.
  const ahead = pipelining.readAhead?.limit === limit ? await pipelining.readAhead.page : undefined;
  let next: ReadAhead | undefined;
  return access.transaction(async (trx: Transaction<unknown>) => {
    // The row lock serialises every batch of this projection, whoever runs it.
    const row = await book.lock(trx, projection.name);
    if (!holds(row, owner)) return LEASE_LOST;
    if (row.state === "failed") {
      await book.renew(trx, projection.name, leaseMs);
      return FAILED;
    }
    const rebuilding = target === "rebuild";
    const after = rebuilding ? row.rebuild_checkpoint : row.checkpoint;
    const page = ahead !== undefined && pipelining.readAhead?.after === after ? ahead : await access.readPage(trx, after, limit, projection.handles);
    if (!page.caughtUp && pipelining.nextLimit !== undefined && access.canReadAhead) next = readAhead(ctx, page.checkpoint, pipelining.nextLimit, projection.handles);
    const schema = rebuilding ? rebuildSchemaOf(projection) : projection.schema;
    // A rebuild applies every event into fresh tables: nothing is parked there.
    const { apply, parked } = rebuilding ? { apply: page.events, parked: [] } : await park(ctx, trx, page.events);
    if (apply.length > 0) {
      try {
        await traceBatch(projection, apply, rebuilding, () => projection.handle(apply, { db: trx.withSchema(schema), schema, rebuilding }));
      } catch (error) {
        throw new HandlerFailure(apply, target, error);
      }
    }
    await recordParked(ctx, trx, parked);
    if (!rebuilding) {
      await book.commitLive(trx, projection.name, leaseMs, page.checkpoint, page.events.length, lastOf(page.events));
      return { kind: "applied", count: page.events.length, caughtUp: page.caughtUp, swapped: false, ...(next === undefined ? {} : { readAhead: next }) };
    }
    await book.commitRebuild(trx, projection.name, leaseMs, page.checkpoint, page.events.length);
    if (!page.caughtUp) return { kind: "applied", count: page.events.length, caughtUp: false, swapped: false, ...(next === undefined ? {} : { readAhead: next }) };
    await swapSchemas(trx, projection);
    await book.finishRebuild(trx, projection.name, lastOf(page.events));
    // The rebuilt read model holds every event: the live one's dead letters are obsolete.
    await ctx.dead.clear(trx, projection.name);
    return { kind: "applied", count: page.events.length, caughtUp: true, swapped: true };
  });
}

async function subscriptionStep(ctx: StepContext, subscription: Subscription, limit: number): Promise<StepOutcome> {
  const { access, book, owner, leaseMs } = ctx;
  const read = await access.transaction(async (trx) => {
    const row = await book.lock(trx, subscription.name);
    if (!holds(row, owner)) return LEASE_LOST;
    await book.renew(trx, subscription.name, leaseMs);
    if (row.state === "failed") return FAILED;
    const page = await access.readPage(trx, row.checkpoint, limit, subscription.handles);
    return { after: row.checkpoint, page, ...(await park(ctx, trx, page.events)) };
  });
  if (!("page" in read)) return read;
  const { after, page, apply, parked } = read;
  if (apply.length > 0) {
    try {
      await traceBatch(subscription, apply, false, () => subscription.handle(apply));
    } catch (error) {
      // A broker that is down is not the events' fault: retried like a database outage, never counted against them.
      if (isTransientPublishError(error)) throw error;
      throw new HandlerFailure(apply, "live", error);
    }
  }
  return access.transaction(async (trx) => {
    const row = await book.lock(trx, subscription.name);
    // Another runner took over meanwhile: it will deliver these events again (at least once).
    if (!holds(row, owner) || row.checkpoint !== after) return LEASE_LOST;
    await recordParked(ctx, trx, parked);
    await book.commitLive(trx, subscription.name, leaseMs, page.checkpoint, page.events.length, lastOf(page.events));
    return { kind: "applied", count: page.events.length, caughtUp: page.caughtUp, swapped: false };
  });
}
