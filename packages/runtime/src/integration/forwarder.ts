/**
 * Forwarders: outbox subscriptions that publish events to a broker. A forwarder runs in the
 * projection engine like any subscription, on a checkpoint of its own in the store: it reads a
 * batch, publishes it, and the checkpoint moves only after the broker confirmed every message of
 * the batch. A crash or a lost confirm publishes the batch again; the broker's deduplication (the
 * event id as message id) and the consumers' inbox absorb the repeats.
 *
 * @module
 */
import { SpanKind } from "@opentelemetry/api";
import { InvalidArgumentError } from "../errors.js";
import type { EventRegistry, EventShape } from "../registry.js";
import type { RecordedEvent } from "../store/recorded-event.js";
import type { ProjectableEvent } from "../projections/projection.js";
import type { Subscription } from "../projections/subscription.js";
import { checkProjectionName, checkVersionAndTypes } from "../projections/projection.js";
import { linksFromMetadata } from "../telemetry/trace-context.js";
import { inSpan } from "../telemetry/strata-tracer.js";
import { TELEMETRY_ATTRIBUTES } from "../telemetry/telemetry-attributes.js";
import { categoryTypeDestination } from "./destinations.js";
import type { DestinationMapping } from "./destinations.js";
import { toOutgoingMessage } from "./event-message.js";
import type { EventPublisher } from "./event-publisher.js";
import { applyPersonalDataPolicy } from "./internal/personal-data-policy.js";
import type { PersonalDataPolicy } from "./internal/personal-data-policy.js";
import { publishInStreamOrder } from "./internal/publish-in-stream-order.js";

export type { PersonalDataPolicy } from "./internal/personal-data-policy.js";

/** Options of {@link defineForwarder}. */
export interface ForwarderOptions<T extends string> {
  /** Stable name: the key of the forwarder's checkpoint. 1–48 letters, digits, `_` or `-`. */
  readonly name: string;
  /** The event types forwarded (filtered in SQL). May include `"$strata.SubjectErased"`, so consumers erase too. */
  readonly handles: readonly T[];
  /** Where the messages go. */
  readonly publisher: EventPublisher;
  /** Subject, routing key or topic of each event (default `strata.<category>.<type>`, see `categoryTypeDestination`). */
  readonly destination?: DestinationMapping;
  /** Events read and published per batch; the checkpoint moves once per batch (default 256). */
  readonly batchSize?: number;
  /** Publishes awaiting a confirm at once, across streams (default 64). A stream never has more than one. */
  readonly maxInFlight?: number;
  /**
   * Personal-data fields (`x-pii`): `"redact"` (default) sends them as the erased marker
   * `{"$erased":true}`; `"include"` sends them in plaintext as the engine decrypted them (the
   * broker and consumers then hold personal data that erasure cannot reach; see docs/integration.md).
   */
  readonly personalData?: PersonalDataPolicy;
}

/** A subscription that publishes to a broker; register it in `createProjectionEngine({ subscriptions })`. */
export interface Forwarder<E extends EventShape = EventShape, T extends string = E["type"]> extends Subscription<E, T> {
  /** The broker's `messaging.system`. */
  readonly messagingSystem: string;
  readonly publisher: EventPublisher;
}

const DEFAULT_BATCH = 256;
const DEFAULT_IN_FLIGHT = 64;

/**
 * Declares a forwarder of `registry`'s events to `publisher`'s broker. Per-stream order holds on
 * the broker: a stream's next event is published only after the previous one was confirmed.
 *
 * @example
 * ```ts
 * import { createJetStreamPublisher } from "@strata/nats";
 * const publisher = await createJetStreamPublisher({ servers: "127.0.0.1:4222", stream: { name: "BANKING", subjects: ["bank.>"] } });
 * const toNats = defineForwarder(bankingRegistry, {
 *   name: "to-nats", handles: ["MoneyDeposited", "MoneyWithdrawn"], publisher, destination: categoryTypeDestination("bank"),
 * });
 * const engine = await createProjectionEngine({ database, registry: bankingRegistry, subscriptions: [toNats] });
 * await engine.start();
 * ```
 */
export function defineForwarder<R extends EventRegistry<EventShape>, const T extends ProjectableEvent<R>["type"]>(
  registry: R,
  options: ForwarderOptions<T>,
): Forwarder<ProjectableEvent<R>, T> {
  const maxInFlight = options.maxInFlight ?? DEFAULT_IN_FLIGHT;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  for (const [what, value] of [["maxInFlight", maxInFlight], ["batchSize", batchSize]] as const) {
    if (!(Number.isSafeInteger(value) && value >= 1)) throw new InvalidArgumentError(`Forwarder "${options.name}" ${what} must be a positive integer, got ${value}.`);
  }
  const destination = options.destination ?? categoryTypeDestination("strata");
  const policy = options.personalData ?? "redact";
  const { publisher } = options;
  const system = publisher.system;
  const handle = async (events: readonly RecordedEvent[]): Promise<void> => {
    const messages = events.map((event) => toOutgoingMessage(applyPersonalDataPolicy(registry, policy, event, options.name), destination(event)));
    const attributes = {
      [TELEMETRY_ATTRIBUTES.messagingSystem]: system,
      [TELEMETRY_ATTRIBUTES.messagingOperationType]: "send",
      [TELEMETRY_ATTRIBUTES.messagingOperationName]: "publish",
      [TELEMETRY_ATTRIBUTES.messagingBatchMessageCount]: messages.length,
      [TELEMETRY_ATTRIBUTES.forwarderName]: options.name,
    };
    // One producer span per batch, linked to the trace of each event's append; the messages carry
    // the append's own trace context (the "creation context"), so consumers link to it directly.
    await inSpan(`publish ${options.name}`, { kind: SpanKind.PRODUCER, attributes, links: linksFromMetadata(events) }, () =>
      publishInStreamOrder(messages, (message) => publisher.publish(message), maxInFlight),
    );
  };
  checkProjectionName(options.name, "Forwarder");
  checkVersionAndTypes(options.name, 1, options.handles);
  return Object.freeze({
    kind: "subscription",
    name: options.name,
    handles: Object.freeze([...options.handles]),
    batchSize,
    // The engine hands the handler exactly the registry's events of the handled types.
    handle: handle as Forwarder<ProjectableEvent<R>, T>["handle"],
    messagingSystem: system,
    publisher,
  });
}
