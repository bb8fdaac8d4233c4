/**
 * Test fixture: the OpenTelemetry SDK with in-memory exporters, registered globally for one test
 * file (Vitest runs each file in its own worker): spans finished so far, and metrics on demand.
 */
import { context, metrics, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import type { DataPoint, Histogram, MetricData } from "@opentelemetry/sdk-metrics";
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

/** Registers the SDK (traces, metrics, async-hooks context) globally. */
export function installTestTelemetry(): TestTelemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(tracerProvider);
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
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}

/** The sum of a counter's data points. */
export function sumOf(metric: MetricData | undefined): number {
  return (metric?.dataPoints as DataPoint<number>[] | undefined)?.reduce((total, point) => total + point.value, 0) ?? 0;
}

/** The total count of a histogram's data points. */
export function countOf(metric: MetricData | undefined): number {
  return (metric?.dataPoints as DataPoint<Histogram>[] | undefined)?.reduce((total, point) => total + point.value.count, 0) ?? 0;
}
