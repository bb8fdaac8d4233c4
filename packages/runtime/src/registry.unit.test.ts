import { describe, expect, it } from "vitest";
import { defineRegistry } from "./registry.js";

describe("defineRegistry", () => {
  it("freezes the registry so a consumer cannot swap event definitions at run time", () => {
    const registry = defineRegistry({ context: "demo", events: {} });
    expect(Object.isFrozen(registry)).toBe(true);
    expect(Object.isFrozen(registry.events)).toBe(true);
  });
});
