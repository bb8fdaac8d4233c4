import { describe, expect, it } from "vitest";
import { closestName as closest, didYouMean, editDistance } from "./did-you-mean.js";

describe("editDistance", () => {
  it.each([
    ["codegen", "codegen", 0],
    ["codegne", "codegen", 1],
    ["chek", "check", 1],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
  ])("%s → %s is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe("closest", () => {
  const commands = ["codegen", "check", "init", "new-version", "release", "migrate"];

  it("finds the nearest name, ignoring case", () => {
    expect(closest("Codgen", commands)).toBe("codegen");
    expect(closest("inti", commands)).toBe("init");
    expect(closest("new-verison", commands)).toBe("new-version");
  });

  it("suggests nothing when every name is far", () => {
    expect(closest("deploy", commands)).toBeUndefined();
    expect(didYouMean("x", commands)).toBe("");
  });

  it("words the suggestion", () => {
    expect(didYouMean("x-pi", ["x-pii", "x-data-subject"])).toBe(' Did you mean "x-pii"?');
  });
});

describe("an append of a misspelt event type", () => {
  it("names the registry's closest type", async () => {
    const { createMemoryEventStore } = await import("./memory/memory-event-store.js");
    const { testRegistry } = await import("../test/fixtures/test-registry.js");
    const store = createMemoryEventStore({ registry: testRegistry });
    await expect(store.append("s", [{ type: "MoneyDepostied", data: {} }] as never)).rejects.toThrow(
      'Event type "MoneyDepostied" (event #0 appended to stream "s") is not declared in registry "test". Did you mean "MoneyDeposited"?',
    );
  });
});
