import { TraceFlags } from "@opentelemetry/api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTraceparent, linksFromMetadata, MAX_LINKS, parseTraceparent } from "./trace-context.js";

const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));

describe("W3C trace context in event metadata", () => {
  it("formats and parses traceparent losslessly for valid contexts", () => {
    fc.assert(
      fc.property(hex(32), hex(16), fc.boolean(), (traceId, spanId, sampled) => {
        fc.pre(!/^0+$/.test(traceId) && !/^0+$/.test(spanId));
        const context = { traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE };
        const parsed = parseTraceparent(formatTraceparent(context));
        expect(parsed).toMatchObject({ ...context, isRemote: true });
      }),
    );
  });

  it("rejects what is not a valid version-00 traceparent", () => {
    for (const bad of [undefined, 42, "", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331", "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "00-00000000000000000000000000000000-b7ad6b7169203331-01", "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01"]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
    expect(parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=a")?.traceState?.serialize()).toBe("vendor=a");
  });

  it("links to each distinct stored context, at most MAX_LINKS", () => {
    const traceparent = (n: number) => `00-${(n + 1).toString(16).padStart(32, "0")}-b7ad6b7169203331-01`;
    const events = Array.from({ length: MAX_LINKS + 20 }, (_, n) => ({ metadata: { traceparent: traceparent(n % (MAX_LINKS + 10)) } }));
    expect(linksFromMetadata(events)).toHaveLength(MAX_LINKS);
    expect(linksFromMetadata([{ metadata: { traceparent: traceparent(1) } }, { metadata: { traceparent: traceparent(1) } }, { metadata: {} }])).toHaveLength(1);
  });
});
