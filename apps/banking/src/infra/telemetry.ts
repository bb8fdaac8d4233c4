/**
 * OpenTelemetry for the banking app, only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: traces and
 * metrics over OTLP/HTTP to that endpoint (the exporters read the standard `OTEL_*` variables:
 * headers, timeouts, `OTEL_SERVICE_NAME`, `OTEL_METRIC_EXPORT_INTERVAL`, …). Strata itself only
 * talks to `@opentelemetry/api`; this bootstrap is the app's choice of SDK, loaded on demand so
 * that an app without an endpoint never loads it.
 *
 * @module
 */
import type { MeterProvider } from "@opentelemetry/sdk-metrics";
import type { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

/** A started SDK; `shutdown()` flushes and stops it. */
export interface Telemetry {
  readonly endpoint: string;
  shutdown(): Promise<void>;
}

/** Starts the SDK when `env.OTEL_EXPORTER_OTLP_ENDPOINT` is set; `undefined` otherwise. */
export async function startTelemetry(env: NodeJS.ProcessEnv): Promise<Telemetry | undefined> {
  const endpoint = env["OTEL_EXPORTER_OTLP_ENDPOINT"];
  if (endpoint === undefined || endpoint === "") return undefined;
  const [{ context, metrics, propagation, trace }, { resourceFromAttributes }, { NodeTracerProvider: Tracers, BatchSpanProcessor }, { OTLPTraceExporter }, { MeterProvider: Meters, PeriodicExportingMetricReader }, { OTLPMetricExporter }] =
    await Promise.all([
      import("@opentelemetry/api"),
      import("@opentelemetry/resources"),
      import("@opentelemetry/sdk-trace-node"),
      import("@opentelemetry/exporter-trace-otlp-http"),
      import("@opentelemetry/sdk-metrics"),
      import("@opentelemetry/exporter-metrics-otlp-http"),
    ]);
  // The signal URLs as the OTLP spec builds them, from `env` (not only process.env, so tests can pass their own).
  const base = endpoint.replace(/\/+$/, "");
  const tracesUrl = env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? `${base}/v1/traces`;
  const metricsUrl = env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] ?? `${base}/v1/metrics`;
  const resource = resourceFromAttributes({ "service.name": env["OTEL_SERVICE_NAME"] ?? "strata-banking" });
  const tracers: NodeTracerProvider = new Tracers({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl }))] });
  tracers.register(); // also installs the AsyncLocalStorage context manager and W3C propagation
  const interval = Number(env["OTEL_METRIC_EXPORT_INTERVAL"] ?? 60_000);
  const meters: MeterProvider = new Meters({ resource, readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: metricsUrl }), exportIntervalMillis: interval })] });
  metrics.setGlobalMeterProvider(meters);
  return {
    endpoint,
    shutdown: async () => {
      await Promise.allSettled([tracers.shutdown(), meters.shutdown()]);
      // Unregistered, so that a later start (tests) registers afresh.
      for (const api of [trace, metrics, context, propagation]) api.disable();
    },
  };
}
