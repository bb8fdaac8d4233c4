import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { envelopeAadRoom, writeEnvelopeAad } from "./envelope-aad-writer.js";
import { envelopeAad } from "./envelope.js";
import type { EnvelopeBinding } from "./envelope.js";

/** Strings as stored data may hold them: any UTF-16, lone surrogates, quotes and control characters included. */
const anyString = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.constantFrom("", '"', "\\", "\u0000", "\ud800", "\u2028", "é"));
const bindingArbitrary: fc.Arbitrary<EnvelopeBinding> = fc.record({
  version: fc.constantFrom(2 as const, 3 as const),
  keyId: fc.oneof(anyString, fc.base64String()),
  eventId: fc.oneof(anyString, fc.uuid()),
  eventType: fc.oneof(anyString, fc.constantFrom("PaymentMade", "CustomerRegistered")),
  schemaVersion: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(0.5, Number.NaN, 2 ** 60)),
  paths: fc.array(fc.oneof(anyString.map((path) => `/${path}`), fc.constantFrom("/name", "/email")), { minLength: 0, maxLength: 4 }),
});

describe("writeEnvelopeAad", () => {
  it("writes exactly the bytes of envelopeAad, for any binding, whether its pieces were seen before or not", () => {
    const target = Buffer.alloc(64 * 1024);
    fc.assert(
      fc.property(bindingArbitrary, (binding) => {
        const want = Buffer.from(envelopeAad(binding));
        for (let pass = 0; pass < 2; pass++) {
          const offset = 7 + pass;
          const length = writeEnvelopeAad(binding, target, offset);
          expect(length).toBeLessThanOrEqual(envelopeAadRoom(binding));
          expect(target.subarray(offset, offset + length).equals(want)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
