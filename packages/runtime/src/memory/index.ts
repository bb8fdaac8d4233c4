/**
 * `@strata/runtime/memory`: an event store in process memory, for unit tests and examples. Same
 * `EventStore` interface and rules as the PostgreSQL store; opens in well under a millisecond.
 *
 * @packageDocumentation
 */
export { createMemoryEventStore } from "./memory-event-store.js";
export type { MemoryEventStore, MemoryEventStoreOptions } from "./memory-event-store.js";
export { createMemoryEventStorage } from "./memory-storage.js";
export type { MemoryEventRow, MemoryEventStorage, MemoryStreamRow } from "./memory-storage.js";
export type { MemoryPersonalDataOption } from "./memory-personal-data.js";
