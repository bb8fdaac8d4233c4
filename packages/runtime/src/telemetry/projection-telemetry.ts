/**
 * Spans of projection batches and subscription deliveries, and the lag gauges.
 *
 * - `strata.project` (projections) and `strata.deliver` (subscriptions, forwarders included)
 *   around each non-empty batch's handler, linked to the trace of each event's append, with
 *   `strata.projection.name`, `strata.projection.kind` and `strata.event.count`. Empty polls
 *   record nothing.
 * - `strata.projection.lag` / `strata.forwarder.lag` ({event}) and their `.duration` (s): the
 *   handled events not applied yet and the age of the oldest, per projection, read from the
 *   engine's status when the SDK collects (no cost without an SDK).
 *
 * @module
 */
import { SpanKind } from "@opentelemetry/api";
import type { BatchObservableResult, Observable } from "@opentelemetry/api";
import type { RecordedEvent } from "../store/recorded-event.js";
import { inSpan } from "./strata-tracer.js";
import { strataInstruments } from "./strata-metrics.js";
import { linksFromMetadata } from "./trace-context.js";
import { TELEMETRY_ATTRIBUTES as A } from "./telemetry-attributes.js";

/** Runs a batch's handler in its span. */
export function traceBatch<T>(unit: { readonly name: string; readonly kind: "projection" | "subscription" }, events: readonly RecordedEvent[], rebuilding: boolean, work: () => Promise<T>): Promise<T> {
  const attributes = { [A.projectionName]: unit.name, [A.projectionKind]: unit.kind, [A.eventCount]: events.length, ...(rebuilding ? { "strata.projection.rebuilding": true } : {}) };
  return inSpan(unit.kind === "projection" ? "strata.project" : "strata.deliver", { kind: SpanKind.CONSUMER, attributes, links: linksFromMetadata(events) }, work);
}

/** What the lag gauges read. */
export interface LagSample {
  readonly name: string;
  readonly lagEvents: number;
  readonly lagSeconds: number;
}

/** Registers the lag gauges of one engine; `close()` unregisters them. `forwarders` names the subscriptions that are forwarders. */
export function observeLag(read: () => Promise<readonly LagSample[]>, forwarders: ReadonlySet<string>): { close(): void } {
  const { meter } = strataInstruments();
  const gauges = {
    projection: meter.createObservableGauge("strata.projection.lag", { description: "Handled events a projection or subscription has not applied yet.", unit: "{event}" }),
    projectionAge: meter.createObservableGauge("strata.projection.lag.duration", { description: "Age of the oldest event a projection or subscription has not applied yet.", unit: "s" }),
    forwarder: meter.createObservableGauge("strata.forwarder.lag", { description: "Events a forwarder has not had confirmed by its broker yet.", unit: "{event}" }),
    forwarderAge: meter.createObservableGauge("strata.forwarder.lag.duration", { description: "Age of the oldest event a forwarder has not had confirmed yet.", unit: "s" }),
  };
  const observables: Observable[] = Object.values(gauges);
  const callback = async (result: BatchObservableResult): Promise<void> => {
    for (const sample of await read()) {
      const forwarder = forwarders.has(sample.name);
      const attributes = { [A.projectionName]: sample.name };
      result.observe(forwarder ? gauges.forwarder : gauges.projection, sample.lagEvents, attributes);
      result.observe(forwarder ? gauges.forwarderAge : gauges.projectionAge, sample.lagSeconds, attributes);
    }
  };
  meter.addBatchObservableCallback(callback, observables);
  return { close: () => meter.removeBatchObservableCallback(callback, observables) };
}
