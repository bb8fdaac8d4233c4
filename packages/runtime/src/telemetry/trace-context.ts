/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) in event metadata. An append stores
 * the trace context it ran in under the metadata keys `traceparent` and `tracestate`; projections,
 * subscriptions, forwarders and consumers read it back to link their spans to it.
 *
 * Formatted and parsed here rather than through `@opentelemetry/core`'s propagator: with no SDK
 * registered the global propagator is a no-op, yet the context must still be stored and carried
 * to brokers, and the format is one fixed-width line.
 *
 * @module
 */
import { context, isSpanContextValid, trace, TraceFlags } from "@opentelemetry/api";
import type { Context, Link, SpanContext, TraceState } from "@opentelemetry/api";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The `traceparent` of a span context (version 00). */
export function formatTraceparent(spanContext: SpanContext): string {
  return `00-${spanContext.traceId}-${spanContext.spanId}-${(spanContext.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
}

/** The span context of a `traceparent` (and `tracestate`), or `undefined` when it is not a valid version-00 one. */
export function parseTraceparent(traceparent: unknown, tracestate?: unknown): SpanContext | undefined {
  if (typeof traceparent !== "string") return undefined;
  const match = TRACEPARENT.exec(traceparent.trim());
  if (match === null) return undefined;
  const spanContext: SpanContext = {
    traceId: match[1] as string,
    spanId: match[2] as string,
    traceFlags: Number.parseInt(match[3] as string, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  if (!isSpanContextValid(spanContext)) return undefined;
  return typeof tracestate === "string" && tracestate !== "" ? { ...spanContext, traceState: traceStateOf(tracestate) } : spanContext;
}

function traceStateOf(value: string): TraceState {
  // A minimal, read-only TraceState: Strata only carries it through, never edits it.
  const entries = new Map(value.split(",").map((member) => member.trim().split("=") as [string, string]).filter(([key, item]) => key !== "" && item !== undefined));
  const state: TraceState = {
    get: (key: string) => entries.get(key),
    set: () => state,
    unset: () => state,
    serialize: () => value,
  };
  return state;
}

/** Metadata carrying the trace context of `ctx` (the active one by default), or `undefined` outside a trace. */
export function traceMetadata(ctx: Context = context.active()): { traceparent: string; tracestate?: string } | undefined {
  const spanContext = trace.getSpanContext(ctx);
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  const tracestate = spanContext.traceState?.serialize();
  return tracestate === undefined || tracestate === "" ? { traceparent: formatTraceparent(spanContext) } : { traceparent: formatTraceparent(spanContext), tracestate };
}

/** The most links a batch span carries; a batch of 500 events does not need 500 links to be followed. */
export const MAX_LINKS = 128;

/** Span links to the trace contexts stored in `metadata` of each event, deduplicated, at most {@link MAX_LINKS}. */
export function linksFromMetadata(events: readonly { readonly metadata: Readonly<Record<string, unknown>> }[]): Link[] {
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    const traceparent = event.metadata["traceparent"];
    if (typeof traceparent !== "string" || seen.has(traceparent)) continue;
    const spanContext = parseTraceparent(traceparent, event.metadata["tracestate"]);
    if (spanContext === undefined) continue;
    seen.add(traceparent);
    links.push({ context: spanContext });
    if (links.length >= MAX_LINKS) break;
  }
  return links;
}
