/**
 * The runtime's tracer and the one helper every instrumented path uses. Through
 * `@opentelemetry/api` only: with no SDK registered, spans are non-recording no-ops (the cost was
 * measured on W1 of `pnpm bench`, see docs/observability.md).
 *
 * Spans never carry event data or error messages (either may hold personal data): a failed span
 * gets `error.type` (the Strata error code or the class name) and an ERROR status.
 *
 * @module
 */
import { SpanStatusCode, trace } from "@opentelemetry/api";
import type { Span, SpanOptions, Tracer, TracerProvider } from "@opentelemetry/api";
import { INSTRUMENTATION_SCOPE, TELEMETRY_ATTRIBUTES } from "./telemetry-attributes.js";

let cached: { readonly provider: TracerProvider; readonly tracer: Tracer } | undefined;

/**
 * The runtime's tracer. Looked up through the global provider on each use (one property read when
 * it has not changed): a tracer kept from before `trace.disable()` would stay bound to the old
 * provider after an SDK is registered again.
 */
export function strataTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (cached?.provider !== provider) cached = { provider, tracer: provider.getTracer(INSTRUMENTATION_SCOPE) };
  return cached.tracer;
}

/** Names an error for telemetry without its message: its code, or its class name. */
export function errorType(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === "string" && name !== "") return name;
  }
  return "_OTHER";
}

/** Marks `span` failed with `error`'s type (never its message). */
export function failSpan(span: Span, error: unknown): void {
  const type = errorType(error);
  span.setAttribute(TELEMETRY_ATTRIBUTES.errorType, type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

/**
 * Runs `work` in a new active span named `name`; ends it when `work` settles, marking it failed
 * when `work` throws (the error is rethrown unchanged).
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  return strataTracer().startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}
