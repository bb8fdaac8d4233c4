/**
 * `@strata/runtime/testing`: fixtures and Given/When/Then helpers for tests, for any test runner
 * (nothing here imports vitest; `describeEachBackend` is in `@strata/runtime/testing/vitest`).
 *
 * @packageDocumentation
 */
export { given } from "./decider-spec.js";
export type { DeciderExpectation, DeciderThen, DeciderWhen } from "./decider-spec.js";
export { createTestStore } from "./decider-test-store.js";
export type { TestStore, TestStoreOptions } from "./decider-test-store.js";
export { assertDeepEqual } from "./assert-deep-equal.js";
export { InMemoryKeyStore } from "../crypto/in-memory-key-store.js";
export { projectionSpec } from "./projection-spec.js";
export type { ProjectionSpec, ProjectionThen, ProjectionWhen, SpecEvent } from "./projection-spec.js";
export { deliveryProblems, readReceived, recordingProjection } from "./forwarding-kit.js";
export type { ReceivedEvent } from "./forwarding-kit.js";
export { deadlineInput, eventInput, processManagerSpec, rejectedInput } from "./process-manager-spec.js";
export type { ProcessExpectation, ProcessGiven, ProcessThen, ProcessWhen } from "./process-manager-spec.js";
