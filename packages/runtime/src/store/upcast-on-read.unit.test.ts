import { describe, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { defineRegistry } from "../registry.js";
import { createUpcastOnRead } from "./upcast-on-read.js";
import type { StoredEvent } from "./upcast-on-read.js";

const stored = (type: string, schemaVersion: number, data: unknown): StoredEvent => ({
  eventId: "e-1",
  streamId: "s-1",
  type,
  schemaVersion,
  data,
  metadata: {},
  recordedAt: new Date(0),
});

describe("upcast on read", () => {
  const upcast = createUpcastOnRead(testRegistry);

  it("runs the chain from the stored version to the latest, without mutating the stored data", () => {
    const data = { amount: 5 };
    expect(upcast(stored("MoneyDeposited", 1, data))).toEqual({ schemaVersion: 2, data: { amount: 5, currency: "EUR" } });
    expect(data).toEqual({ amount: 5 });
  });

  it("passes latest-version data through as is", () => {
    const data = { amount: 5, currency: "USD" };
    expect(upcast(stored("MoneyDeposited", 2, data)).data).toBe(data);
  });

  it("tells a reader each known type's latest version, so it may skip the call for events already there", () => {
    expect(upcast.latestVersion?.("MoneyDeposited")).toBe(2);
    expect(upcast.latestVersion?.("Nope")).toBeUndefined();
  });

  it("refuses unknown types, versions beyond the latest and missing steps", () => {
    expect(() => upcast(stored("Nope", 1, {}))).toThrow(expect.objectContaining({ code: "UNKNOWN_EVENT_TYPE" }));
    expect(() => upcast(stored("MoneyDeposited", 3, {}))).toThrow(expect.objectContaining({ code: "UNKNOWN_SCHEMA_VERSION", schemaVersion: 3 }));
    const gappy = defineRegistry({
      context: "gappy",
      events: { E: { type: "E", latestVersion: 3, versions: {}, upcasters: [{ type: "E", from: 2, to: 3, upcast: (d) => d }] } },
    });
    expect(() => createUpcastOnRead(gappy)(stored("E", 1, {}))).toThrow(expect.objectContaining({ code: "UNKNOWN_SCHEMA_VERSION" }));
  });

  it("wraps an upcaster's failure with the event and step, keeping the cause", () => {
    const boom = new Error("boom");
    const failing = defineRegistry({
      context: "failing",
      events: { E: { type: "E", latestVersion: 2, versions: {}, upcasters: [{ type: "E", from: 1, to: 2, upcast: () => { throw boom; } }] } },
    });
    expect(() => createUpcastOnRead(failing)(stored("E", 1, {}))).toThrow(expect.objectContaining({ code: "UPCAST_FAILED", fromVersion: 1, cause: boom }));
  });
});
