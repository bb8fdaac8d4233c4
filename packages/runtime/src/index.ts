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
  SchemaValidator,
  UpcastContext,
  UpcasterStep,
  ValidationIssue,
} from "./registry.js";
export { applyUpcastOperations } from "./upcasting/upcast-operations.js";
export type { UpcastOperation } from "./upcasting/upcast-operations.js";
