/**
 * The inbox: applies events received from a broker to a read model exactly once. The ids of
 * applied events are recorded in the consumer's own database, in the transaction that applies
 * them, so a message delivered again (a broker redelivery, a forwarder that published twice, a
 * crash between commit and acknowledgement) is recognised and skipped. Broker adapters
 * (`consumeJetStream`, `consumeRabbitMq`) drive it; a Kafka consumer would too.
 *
 * @module
 */
import type { Transaction } from "kysely";
import type { DatabaseConfig } from "../storage/create-storage.js";
import { createStorage } from "../storage/create-storage.js";
import type { Storage } from "../storage/storage.js";
import type { EventRegistry, EventShape } from "../registry.js";
import { InvalidArgumentError } from "../errors.js";
import type { HandledEvent, ProjectableEvent, Projection } from "../projections/projection.js";
import { checkProjectionName } from "../projections/projection.js";
import { migrateReadModel } from "../projections/internal/read-model-schema.js";
import { checkSchemaName } from "../store/create-event-store.js";
import { createIncomingDecoder } from "./incoming-event.js";
import type { IncomingMessage } from "./incoming-event.js";
import { inboxTables } from "./internal/inbox-tables.js";
import { resolveFailurePolicy } from "./internal/failure-policy.js";
import type { ConsumerFailurePolicy } from "./internal/failure-policy.js";
import { deliverWithPolicy } from "./internal/inbox-delivery.js";
import { openInboxReceiver } from "./internal/inbox-receiver.js";

export type { ConsumerFailurePolicy } from "./internal/failure-policy.js";

/** A handler that applies events inside the inbox's transaction (a projection without migrations of its own). */
export interface InboxHandler<E extends EventShape, T extends string> {
  readonly handles: readonly T[];
  /** Applies a batch; write through `context.db` only, so the writes commit with the inbox record. */
  handle(events: readonly HandledEvent<E, T>[], context: { readonly db: Transaction<unknown> }): Promise<void>;
}

/** Options of {@link createInbox}. */
export interface InboxOptions<R extends EventRegistry<EventShape>, T extends string> {
  /** The consumer's stable name: scopes its deduplication records and positions. 1–48 letters, digits, `_` or `-`. */
  readonly name: string;
  /** The consumer's database (its read model's). */
  readonly database: DatabaseConfig;
  /** The consumer's own registry: events are validated and upcast with it. */
  readonly registry: R;
  /** A projection (its read-model migrations run at start) or a plain handler; exactly one. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as in the engine: each projection types its own tables.
  readonly projection?: Projection<ProjectableEvent<R>, T, any>;
  readonly handler?: InboxHandler<ProjectableEvent<R>, T>;
  /** Postgres schema of the inbox tables (default `"strata_inbox"`). */
  readonly schema?: string;
  readonly failure?: ConsumerFailurePolicy;
  /** For the consumer's spans: the broker (`messaging.system`) and what is consumed. Set by the broker adapters. */
  readonly messaging?: { readonly system: string; readonly destination: string };
}

/** What one delivery did. */
export interface DeliveryReport {
  readonly applied: number;
  /** Already applied before (by event id, or at or below the stored position). */
  readonly duplicates: number;
  /** Of a type the consumer does not handle. */
  readonly ignored: number;
  readonly deadLettered: number;
}

/** A message the consumer gave up on. */
export interface InboxDeadLetter {
  readonly messageId: string;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly attempts: number;
  /** The error's code or class name. */
  readonly error: string;
  readonly at: Date;
}

/** See {@link createInbox}. */
export interface Inbox {
  readonly name: string;
  /**
   * Applies `messages` (in the order given) under the failure policy; resolves once every one is
   * applied, recognised as a duplicate, ignored or dead-lettered: then acknowledge them all.
   * Throws `ConsumerStoppedError` (policy `"stop"`): acknowledge none. Database outages are
   * retried until `signal` aborts.
   */
  deliver(messages: readonly IncomingMessage[], signal?: AbortSignal): Promise<DeliveryReport>;
  /** The highest sequence applied from an ordered `source`; `undefined` before the first. */
  position(source: string): Promise<bigint | undefined>;
  deadLetters(): Promise<readonly InboxDeadLetter[]>;
  /** Closes the database connection the inbox opened (not instances or pools passed in). */
  close(): Promise<void>;
}

/**
 * Kysely's migrator lists every table of the database first; a schema that another process drops
 * meanwhile (a shared server) fails that listing with SQLSTATE 3F000 or 42P01. Nothing was applied
 * then: try again, a few times.
 */
async function migrateWithRetry(storage: Storage, projection: Projection): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await migrateReadModel({ storage }, projection, projection.schema);
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      if (attempt >= 3 || (cause?.code !== "3F000" && cause?.code !== "42P01")) throw error;
    }
  }
}

/**
 * Opens an inbox: creates its tables and the projection's read model when missing.
 *
 * @example
 * ```ts
 * const inbox = await createInbox({ name: "ledger", database: { kind: "postgres", connectionString }, registry: bankingRegistry, projection: ledger });
 * const report = await inbox.deliver(messages); // then acknowledge the messages on the broker
 * ```
 */
export async function createInbox<R extends EventRegistry<EventShape>, const T extends ProjectableEvent<R>["type"]>(options: InboxOptions<R, T>): Promise<Inbox> {
  checkProjectionName(options.name, "Consumer");
  const schema = options.schema ?? "strata_inbox";
  checkSchemaName(schema);
  const target = (options.projection ?? options.handler) as Projection | InboxHandler<EventShape, string> | undefined;
  if (target === undefined || (options.projection !== undefined && options.handler !== undefined)) {
    throw new InvalidArgumentError(`Consumer "${options.name}" needs exactly one of projection or handler.`);
  }
  const storage = createStorage(options.database);
  const tables = inboxTables(schema);
  try {
    await storage.withKysely((db) => tables.create(db));
    if ("kind" in target && target.kind === "projection") await migrateWithRetry(storage, target);
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  const receiver = openInboxReceiver({ name: options.name, storage, tables, target, decode: createIncomingDecoder(options.name, options.registry) });
  const policy = resolveFailurePolicy(options.failure);
  return {
    name: options.name,
    deliver: (messages, signal) => deliverWithPolicy(receiver, messages, policy, options.messaging, signal),
    position: (source) => storage.withKysely((db) => tables.position(db, options.name, source)),
    deadLetters: async () =>
      (await storage.withKysely((db) => tables.deadLetters(db, options.name))).map((row) => ({
        messageId: row.message_id,
        eventId: row.event_id,
        eventType: row.event_type,
        attempts: row.attempts,
        error: row.error,
        at: row.dead_at,
      })),
    close: () => storage.close(),
  };
}
