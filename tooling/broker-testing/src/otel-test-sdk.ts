/**
 * Test fixture: the OpenTelemetry SDK (traces with an in-memory exporter, metrics collected on
 * demand) and an async-hooks context manager, registered globally for one test file.
 */
import { context, metrics, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import type { DataPoint, MetricData } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

class CollectingReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** The registered test SDK. */
export interface TestTelemetry {
  readonly spans: () => ReadableSpan[];
  readonly reset: () => void;
  /** Collects every metric now; by name. */
  readonly collect: () => Promise<Map<string, MetricData>>;
  readonly shutdown: () => Promise<void>;
}

/** Registers the SDK globally. */
export function installTestTelemetry(): TestTelemetry {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    collect: async () => {
      const { resourceMetrics } = await reader.collect();
      return new Map(resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).map((metric) => [metric.descriptor.name, metric]));
    },
    shutdown: async () => {
      await provider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}

/** The value a gauge reported for the projection or forwarder `name`, if any. */
export function gaugeOf(metric: MetricData | undefined, name: string): number | undefined {
  return (metric?.dataPoints as DataPoint<number>[] | undefined)?.find((point) => point.attributes["strata.projection.name"] === name)?.value;
}
