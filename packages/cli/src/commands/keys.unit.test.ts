import { LocalKekProvider } from "@strata/runtime";
import { describe, expect, it } from "vitest";

import { EXIT_CODES } from "./command.js";
import { command } from "./keys.js";
import { captureIo } from "./testing/capture-io.js";

describe("strata keys generate", () => {
  it("prints a new random 32-byte KEK as a STRATA_KEKS entry that the provider accepts", async () => {
    const io = captureIo("/");
    expect(await command.run({ id: "v2" }, ["generate"], io)).toBe(EXIT_CODES.ok);
    const entry = io.out().trim();
    expect(entry).toMatch(/^v2:[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(entry.slice(3), "base64").byteLength).toBe(32);
    expect(LocalKekProvider.fromEnv({ STRATA_KEKS: entry }).currentKekId()).toBe("v2");
    const again = captureIo("/");
    await command.run({}, ["generate"], again);
    expect(again.out().startsWith("v1:")).toBe(true);
    expect(again.out()).not.toBe(io.out());
  });

  it("refuses an id STRATA_KEKS could not hold", async () => {
    const io = captureIo("/");
    expect(await command.run({ id: "a b" }, ["generate"], io)).toBe(EXIT_CODES.usage);
    expect(io.err()).toContain("--id");
  });
});
