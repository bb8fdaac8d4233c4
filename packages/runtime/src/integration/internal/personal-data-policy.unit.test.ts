import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineRegistry } from "../../registry.js";
import type { RecordedEvent } from "../../store/recorded-event.js";
import { applyPersonalDataPolicy } from "./personal-data-policy.js";

const registry = defineRegistry({
  context: "pii",
  events: {
    Registered: {
      type: "Registered",
      latestVersion: 1,
      versions: { 1: { version: 1, validator: z.object({}), pii: [{ path: "/email", subject: "/id" }, { path: "/contacts/*/phone", subject: "/id" }] } },
      upcasters: [],
    },
  },
});

const event = (data: unknown) => ({ id: "e", type: "Registered", schemaVersion: 1, data }) as unknown as RecordedEvent;

describe("the forwarders' personal-data policy", () => {
  it("redacts every personal field to the erased marker, arrays included, without touching the input", () => {
    const data = { id: "c-1", email: "ada@example.org", contacts: [{ phone: "1" }, { phone: "2", kind: "home" }] };
    const redacted = applyPersonalDataPolicy(registry, "redact", event(data), "f").data;
    expect(redacted).toEqual({ id: "c-1", email: { $erased: true }, contacts: [{ phone: { $erased: true } }, { phone: { $erased: true }, kind: "home" }] });
    expect(data.email).toBe("ada@example.org");
  });

  it("redacts fields still encrypted (read without keys) from the envelopes' pointers", () => {
    const stored = { id: "c-1", contacts: [{}], $pii: [{ v: 2, k: "x", sv: 1, p: ["/email", "/contacts/0/phone"], c: "…" }] };
    expect(applyPersonalDataPolicy(registry, "redact", event(stored), "f").data).toEqual({ id: "c-1", email: { $erased: true }, contacts: [{ phone: { $erased: true } }] });
    // Format 4, the compact list: [4, sv, keyId, n, ...paths, sealed, …].
    const compact = { id: "c-1", contacts: [{}], $pii: [4, 1, "x", 1, "/email", "…", "y", 1, "/contacts/0/phone", "…"] };
    expect(applyPersonalDataPolicy(registry, "redact", event(compact), "f").data).toEqual({ id: "c-1", email: { $erased: true }, contacts: [{ phone: { $erased: true } }] });
  });

  it("includes plaintext only when asked, and refuses to forward ciphertext as if it were plaintext", () => {
    const data = { id: "c-1", email: "ada@example.org" };
    expect(applyPersonalDataPolicy(registry, "include", event(data), "f").data).toBe(data);
    expect(() => applyPersonalDataPolicy(registry, "include", event({ id: "c-1", $pii: [] }), "f")).toThrow(/still encrypted/);
  });
});
