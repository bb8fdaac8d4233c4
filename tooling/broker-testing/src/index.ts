/**
 * Test support shared by `@strata/nats` and `@strata/rabbitmq` (a private workspace package,
 * never published): the registries of the broker tests and the test side of the crash tests.
 * The child side is `@strata/broker-testing/child`, the OpenTelemetry test SDK
 * `@strata/broker-testing/telemetry`.
 *
 * @example
 * ```ts
 * import { appendDeposits, forwardThroughCrashes } from "@strata/broker-testing";
 * const appended = await appendDeposits(database, "strata");
 * const confirmed = await forwardThroughCrashes(CHILD, { dataDir, schema: "strata", prefix, delayMs: 3 });
 * ```
 */
export { newerConsumerRegistry, olderConsumerRegistry, producerRegistry } from "./broker-registry.js";
export { startChildProcess, stopChildProcess } from "./child-process.js";
export { killConsumerTwiceMidStream, startConsumerChild } from "./consumer-crash.js";
export type { ConsumerChild } from "./consumer-crash.js";
export { depositEvents, publishPerStream } from "./deposit-events.js";
export { appendDeposits, forwardThroughCrashes } from "./forwarder-crash.js";
