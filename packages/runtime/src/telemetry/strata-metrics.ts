/**
 * The runtime's metric instruments. Created per meter provider and looked up on each use: a meter
 * taken before an SDK registers stays a no-op forever (metrics, unlike traces, have no proxy), so
 * an SDK started after the store was opened is still picked up. The lookup is two property reads.
 *
 * | instrument | kind | unit | attributes |
 * |---|---|---|---|
 * | `strata.append.duration` | histogram | s | `db.system.name`, `error.type` on failure |
 * | `strata.events.appended` | counter | {event} | `db.system.name` |
 * | `strata.erasures` | counter | {erasure} | `strata.erasure.outcome` |
 * | `strata.projection.lag`, `strata.forwarder.lag` | gauge | {event} | `strata.projection.name` |
 * | `strata.projection.lag.duration`, `strata.forwarder.lag.duration` | gauge | s | `strata.projection.name` |
 *
 * @module
 */
import { metrics } from "@opentelemetry/api";
import type { Counter, Histogram, Meter, MeterProvider } from "@opentelemetry/api";
import { INSTRUMENTATION_SCOPE } from "./telemetry-attributes.js";

/** The instruments of one meter provider. */
export interface StrataInstruments {
  readonly meter: Meter;
  readonly appendDuration: Histogram;
  readonly eventsAppended: Counter;
  readonly erasures: Counter;
}

// Append latencies on one machine run from a fraction of a millisecond to seconds under contention.
const APPEND_BUCKETS_S = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

let cached: { readonly provider: MeterProvider; readonly instruments: StrataInstruments } | undefined;

/** The instruments of the meter provider registered now (a no-op set when none is). */
export function strataInstruments(): StrataInstruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider === provider) return cached.instruments;
  const meter = provider.getMeter(INSTRUMENTATION_SCOPE);
  const instruments: StrataInstruments = {
    meter,
    appendDuration: meter.createHistogram("strata.append.duration", {
      description: "Duration of event store appends (append and appendMany), committed or failed.",
      unit: "s",
      advice: { explicitBucketBoundaries: APPEND_BUCKETS_S },
    }),
    eventsAppended: meter.createCounter("strata.events.appended", { description: "Events appended and committed.", unit: "{event}" }),
    erasures: meter.createCounter("strata.erasures", { description: "Data-subject erasures, by outcome.", unit: "{erasure}" }),
  };
  cached = { provider, instruments };
  return instruments;
}
