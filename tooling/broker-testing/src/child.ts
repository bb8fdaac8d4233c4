/**
 * The child-process side of the broker crash tests: imported by each package's
 * `*-child.fixture.ts` entry. Loads no test runner (a child is a plain Node.js process).
 */
export { childDatabase, readChildConfig } from "./child-database.js";
export type { ChildDatabaseConfig } from "./child-database.js";
export { runConsumerChild } from "./consumer-child.js";
export type { ChildConsumer, ConsumerChildConfig, ConsumerChildOptions } from "./consumer-child.js";
export { runForwarderChild } from "./forwarder-child.js";
export type { ForwarderChildConfig } from "./forwarder-child.js";
