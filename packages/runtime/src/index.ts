/**
 * `@strata/runtime`: the event store and everything built on it.
 *
 * @packageDocumentation
 */
export { defineRegistry } from "./registry.js";
export type {
  EventRegistry,
  EventShape,
  EventTypeSpec,
  EventVersionSpec,
  PiiFieldSpec,
  RegistryEvent,
  RegistryReadEvent,
  SchemaValidator,
  UpcastContext,
  UpcasterStep,
  ValidationIssue,
} from "./registry.js";
// "Did you mean …?": the suggestion in Strata's messages (event types, schema keywords, commands).
export { closestName, didYouMean } from "./did-you-mean.js";
export { ERASED, isErased } from "./crypto/erased.js";
export type { Erased } from "./crypto/erased.js";
export { applyUpcastOperations } from "./upcasting/upcast-operations.js";
export type { UpcastOperation } from "./upcasting/upcast-operations.js";
export { createEventStore, DEFAULT_SCHEMA } from "./store/create-event-store.js";
export type { CreateEventStoreOptions } from "./store/create-event-store.js";
// Read replicas (issue 20): appends on the primary, reads from streaming replicas, read-your-writes by WAL position.
export { createReplicatedEventStore } from "./replicas/replicated-event-store.js";
export type { ReplicaRouting, ReplicatedEventStore, ReplicatedEventStoreOptions } from "./replicas/replicated-event-store.js";
export type { ReplicaConnection } from "./replicas/replica-set.js";
// Projection workers that scale out (issue 20): a projection split into partitions by stream hash, shared by workers.
export { createProjectionWorker } from "./projections/scale-out/projection-worker.js";
export type { PartitionStatus, ProjectionWorker, ProjectionWorkerErrorInfo, ProjectionWorkerOptions } from "./projections/scale-out/projection-worker.js";
// A partitioned events table (issue 20): by range of global position, partitions created ahead.
export { partitionEventsTable } from "./partitioning/partition-events-table.js";
export type { PartitionEventsTableOptions, PartitionEventsTableReport } from "./partitioning/partition-events-table.js";
export { maintainEventPartitions } from "./partitioning/partition-maintainer.js";
export type { EventPartitionMaintenance, EventPartitionMaintenanceOptions } from "./partitioning/partition-maintainer.js";
export type { EventPartition } from "./partitioning/event-partitions.js";
export type {
  AppendBatch,
  AppendOptions,
  EventStore,
  ListStreamsOptions,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  StreamInfo,
  StreamPage,
} from "./store/event-store.js";
export type { AppendResult } from "./store/append-result.js";
export { findUnstorableValues, isStorableText } from "./store/storable-values.js";
export type { Checkpoint, EventMetadata, NewEvent, RecordedEvent } from "./store/recorded-event.js";
export type { DatabaseConfig } from "./storage/create-storage.js";
export { runMigrations } from "./migrations/run-migrations.js";
export type { MigrationReport } from "./migrations/migrate.js";
export type { RunMigrationsOptions } from "./migrations/run-migrations.js";
export {
  DuplicateEventIdError,
  EventValidationError,
  InvalidArgumentError,
  InvalidCheckpointError,
  isStrataError,
  MigrationError,
  STRATA_ERROR_CODES,
  StoreQueryError,
  StoreUnavailableError,
  StrataError,
  StreamConflictError,
  StreamDeletedError,
  UnknownEventTypeError,
  UnknownSchemaVersionError,
  UpcastError,
} from "./errors.js";
export type { EventValidationIssue, ExpectedVersion, StrataErrorByCode, StrataErrorCode, StrataErrorFor } from "./errors.js";

// Aggregates: deciders, command handling, snapshots, time travel.
export { defineDecider, foldEvents, isRejection, reject } from "./aggregate/decider.js";
export type {
  Decider,
  DeciderCommand,
  DeciderError,
  DeciderEvent,
  DeciderFor,
  DeciderReadEvent,
  DeciderState,
  Decision,
  DomainErrorShape,
  Rejection,
} from "./aggregate/decider.js";
export { createCommandHandler, handleCommand } from "./aggregate/command-handler.js";
export type { CommandHandler, CommandHandlerOptions, CommandResult, HandleCommandOptions } from "./aggregate/command-handler.js";
export { loadAggregate } from "./aggregate/load-aggregate.js";
export type { LoadAggregateOptions, LoadedAggregate, LoadTarget } from "./aggregate/load-aggregate.js";
export { DEFAULT_RETRY_POLICY } from "./aggregate/retry-policy.js";
export type { RetryPolicy } from "./aggregate/retry-policy.js";
export { consoleAggregateLogger, createAggregateMetrics } from "./aggregate/aggregate-observability.js";
export type { AggregateLogger, AggregateMetrics, LogFields } from "./aggregate/aggregate-observability.js";
export {
  AGGREGATE_ERROR_CODES,
  AggregateVersionNotFoundError,
  CommandRetriesExhaustedError,
  isAggregateLayerError,
} from "./aggregate/aggregate-errors.js";
export type { AggregateErrorCode } from "./aggregate/aggregate-errors.js";
export type { EventStoreLike, EventsAcceptedBy, EventsReadableBy, RecordedEventLike, StoredEventShape } from "./aggregate/event-store-like.js";
export { createInMemorySnapshotStore } from "./snapshots/in-memory-snapshot-store.js";
export type { InMemorySnapshotStore } from "./snapshots/in-memory-snapshot-store.js";
export { createPostgresSnapshotStore } from "./snapshots/postgres-snapshot-store.js";
export type { PostgresSnapshotStore, PostgresSnapshotStoreOptions } from "./snapshots/postgres-snapshot-store.js";
export type { SnapshotPolicy } from "./snapshots/snapshot-policy.js";
export type { NewSnapshot, SnapshotSaveOutcome, SnapshotStore, StoredSnapshot } from "./snapshots/snapshot-store.js";

// Crypto-shredding: personal data encrypted per subject, erasure, export, KEK rotation.
export { createPersonalDataStore } from "./erasure/create-personal-data-store.js";
export type { CreatePersonalDataStoreOptions, PersonalDataStore } from "./erasure/create-personal-data-store.js";
export { createErasureService } from "./erasure/erasure-service.js";
export type { ErasureRequest, ErasureResult, ErasureService, ErasureServiceOptions, ErasureStatus, ErasureWaitOptions } from "./erasure/erasure-service.js";
export type { ErasureHandler, ErasurePlace, ErasurePlaceStatus } from "./erasure/erasure-places.js";
export type { LivePlaces } from "./erasure/erasure-completion.js";
export { createPostgresErasureAudit, subjectHash } from "./erasure/erasure-audit.js";
export type { ErasureAudit, ErasureAuditEntry, ErasureOutcome } from "./erasure/erasure-audit.js";
export { exportSubject } from "./erasure/export-subject.js";
export type { ExportedField, ExportSubjectOptions, SubjectExport } from "./erasure/export-subject.js";
export { validateReadData } from "./erasure/read-validation.js";
export type { ReadValidationResult } from "./erasure/read-validation.js";
export { scrubSubjectRows } from "./erasure/scrub-subject-rows.js";
export { createPersonalColumns, transactionAwareRunner } from "./erasure/personal-columns.js";
export type { ColumnPlace, PersonalColumns } from "./erasure/personal-columns.js";
export type { ScrubSubjectRowsOptions } from "./erasure/scrub-subject-rows.js";
export { ERASURE_STREAM_ID, isSubjectErasedEvent, SUBJECT_ERASED_EVENT_TYPE, SYSTEM_EVENT_PREFIX } from "./erasure/system-events.js";
export type { SubjectErasedData, SubjectErasedEvent } from "./erasure/system-events.js";
export { SubjectKeys } from "./crypto/subject-keys.js";
export type { DekCacheOptions, SubjectDek, SubjectKeysOptions } from "./crypto/subject-keys.js";
export { LocalKekProvider } from "./crypto/local-kek-provider.js";
export type { LocalKekOptions } from "./crypto/local-kek-provider.js";
export { dataKeyContext } from "./crypto/kek-provider.js";
export { kekCheckContext, verifyKek } from "./crypto/kek-check.js";
export type { KekProvider } from "./crypto/kek-provider.js";
export type { PersonalDataOptions, WritableEnvelopeFormat } from "./crypto/envelope-format-option.js";
export { restrictDataDir } from "./storage/private-data-dir.js";
export { createPostgresKeyStore } from "./crypto/postgres-key-store.js";
export type { PostgresKeyStoreOptions } from "./crypto/postgres-key-store.js";
export type { KeyPage, KeyStore, NewSubjectKey, StoredSubjectKey } from "./crypto/key-store.js";
export type { KekRotationOptions, KekRotationReport } from "./crypto/kek-rotation.js";
export {
  AuthenticationFailure,
  CRYPTO_ERROR_CODES,
  CryptoParameterError,
  DecryptionError,
  isCryptoError,
  KekConfigError,
  KekMismatchError,
  KekNotFoundError,
  KeyUnwrapError,
  PiiFieldError,
} from "./crypto/crypto-errors.js";
export type { CryptoErrorCode, DecryptionFailure } from "./crypto/crypto-errors.js";

// Projections (CQRS read models) and outbox subscriptions.
export { defineProjection } from "./projections/projection.js";
export type { HandledEvent, ProjectableEvent, Projection, ProjectionContext, ProjectionDefinition } from "./projections/projection.js";
export { defineSubscription } from "./projections/subscription.js";
export type { Subscription, SubscriptionDefinition } from "./projections/subscription.js";
export { createProjectionEngine } from "./projections/projection-engine.js";
export type { ProjectionEngine, ProjectionEngineOptions } from "./projections/projection-engine.js";
export type { ProjectionFailure, ProjectionState, ProjectionStatus } from "./projections/projection-status.js";
export { projectionHealth } from "./projections/projection-health.js";
export type { ProjectionHealth, ProjectionHealthOptions } from "./projections/projection-health.js";
export type { ProjectionErrorInfo, ProjectionFailurePolicy, ProjectionProgress, RunnerOptions } from "./projections/runner-settings.js";
export type { DeadLetter, DeadLetterRetryReport } from "./projections/dead-letter.js";
export type { WaitForOptions, WaitPosition } from "./projections/wait-position.js";
export {
  InlineProjectionFailedError,
  isProjectionError,
  PROJECTION_ERROR_CODES,
  ProjectionError,
  ProjectionFailedError,
  ProjectionNotFailedError,
  ProjectionNotFoundError,
  DeadLetterNotFoundError,
  ProjectionWaitTimeoutError,
} from "./projections/projection-errors.js";
export type { ProjectionErrorCode } from "./projections/projection-errors.js";

// Leaving the store: forwarders to brokers (outbox), and inboxes that consume them exactly once.
export { defineForwarder } from "./integration/forwarder.js";
export type { Forwarder, ForwarderOptions, PersonalDataPolicy } from "./integration/forwarder.js";
export type { EventPublisher } from "./integration/event-publisher.js";
export { EVENT_HEADERS, eventHeaders, toOutgoingMessage } from "./integration/event-message.js";
export type { OutgoingMessage } from "./integration/event-message.js";
export { categoryTypeDestination, escapeToken, streamCategory, unescapeToken } from "./integration/destinations.js";
export type { DestinationMapping } from "./integration/destinations.js";
export { createInbox } from "./integration/inbox.js";
export type { ConsumerFailurePolicy, DeliveryReport, Inbox, InboxDeadLetter, InboxHandler, InboxOptions } from "./integration/inbox.js";
export type { IncomingMessage } from "./integration/incoming-event.js";
export {
  BrokerUnavailableError,
  ConsumerStoppedError,
  INTEGRATION_ERROR_CODES,
  IntegrationError,
  isIntegrationError,
  MessageIncompatibleError,
  MessageInvalidError,
  PublishRejectedError,
} from "./integration/integration-errors.js";
export type { IntegrationErrorCode } from "./integration/integration-errors.js";

// Observability: OpenTelemetry spans and metrics (through @opentelemetry/api), correlation and causation.
export { currentCausation, withCausation } from "./telemetry/causation.js";
export { defineReactor } from "./reactions/define-reactor.js";
export type { ReactorDefinition } from "./reactions/define-reactor.js";

// Process managers (sagas): state in a stream, commands with deterministic ids, durable deadlines.
export { defineProcessManager } from "./process-managers/process-manager.js";
export type { ProcessCommand, ProcessDeadline, ProcessDecision, ProcessInput, ProcessManager, ProcessManagerDefinition } from "./process-managers/process-manager.js";
export { createProcessManagerRunner } from "./process-managers/process-manager-runner.js";
export { processManagerSubscription } from "./process-managers/operated-subscription.js";
export type { ProcessManagerRunner, ProcessManagerRunnerOptions, ProcessManagerStatus } from "./process-managers/process-manager-runner.js";
export type { DispatchContext, DispatchOutcome, ProcessDispatch } from "./process-managers/process-step-runner.js";
export { PROCESS_STEP_EVENT_TYPE } from "./process-managers/process-step-event.js";
export type { ProcessStepData } from "./process-managers/process-step-event.js";
export type { Causation } from "./telemetry/causation.js";
export { formatTraceparent, parseTraceparent } from "./telemetry/trace-context.js";
export { TELEMETRY_ATTRIBUTES } from "./telemetry/telemetry-attributes.js";
