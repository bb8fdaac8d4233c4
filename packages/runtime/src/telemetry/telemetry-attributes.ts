/**
 * Attribute names of Strata's spans and metrics. The `db.*`, `messaging.*` and `error.type` names
 * are OpenTelemetry semantic conventions (v1.26+, database and messaging), spelled out here
 * rather than importing `@opentelemetry/semantic-conventions`: the runtime depends on
 * `@opentelemetry/api` only. `strata.*` names are Strata's own.
 *
 * @module
 */

/** Attribute names used on Strata's spans and metrics. */
export const TELEMETRY_ATTRIBUTES = {
  dbSystemName: "db.system.name",
  dbOperationName: "db.operation.name",
  dbCollectionName: "db.collection.name",
  messagingSystem: "messaging.system",
  messagingOperationType: "messaging.operation.type",
  messagingOperationName: "messaging.operation.name",
  messagingDestinationName: "messaging.destination.name",
  messagingConsumerGroupName: "messaging.consumer.group.name",
  messagingBatchMessageCount: "messaging.batch.message_count",
  errorType: "error.type",
  streamId: "strata.stream.id",
  eventCount: "strata.event.count",
  eventType: "strata.event.type",
  deciderName: "strata.decider.name",
  commandAttempts: "strata.command.attempts",
  commandOutcome: "strata.command.outcome",
  projectionName: "strata.projection.name",
  projectionKind: "strata.projection.kind",
  forwarderName: "strata.forwarder.name",
  erasureOutcome: "strata.erasure.outcome",
  readTarget: "strata.read.target",
  replicaName: "strata.replica.name",
  readFallback: "strata.read.fallback",
  replayWaitMs: "strata.replica.replay_wait_ms",
} as const;

/** `db.system.name` of every store span: PGlite is PostgreSQL compiled to WebAssembly. */
export const DB_SYSTEM = "postgresql";

/** The instrumentation scope of the runtime's tracer and meter. */
export const INSTRUMENTATION_SCOPE = "@strata/runtime";
