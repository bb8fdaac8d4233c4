import { CommandRetriesExhaustedError, InvalidArgumentError, KekConfigError, KekNotFoundError, StoreUnavailableError, StreamConflictError } from "@strata/runtime";
import { describe, expect, it } from "vitest";

import { EXIT_CODES } from "./command.js";
import { reportError } from "./personal-data-cli.js";
import { captureIo } from "./testing/capture-io.js";

describe("reportError", () => {
  it("reports crypto and aggregate errors like every runtime error: exit 1, the message, no cause's message", () => {
    const secret = new Error("secret@example.com");
    const errors = [
      new KekNotFoundError("v0", ["v1"]),
      new KekConfigError("STRATA_KEKS", "not JSON", { cause: secret }),
      new CommandRetriesExhaustedError("account", "account-1", 5, { cause: secret }),
    ];
    for (const error of errors) {
      const io = captureIo("/");
      expect(reportError("erase", error, io)).toBe(EXIT_CODES.failure);
      expect(io.err()).toBe(`strata erase: ${error.message}\n`);
    }
  });

  it("adds the driver's message to store errors only, and treats invalid arguments as usage errors", () => {
    const io = captureIo("/");
    expect(reportError("erase", new StoreUnavailableError("Cannot reach the database.", { cause: new Error("ECONNREFUSED") }), io)).toBe(EXIT_CODES.failure);
    expect(io.err()).toBe("strata erase: Cannot reach the database. (ECONNREFUSED)\n");
    expect(reportError("erase", new InvalidArgumentError("bad subject"), captureIo("/"))).toBe(EXIT_CODES.usage);
    expect(reportError("erase", new StreamConflictError({ streamId: "s", expectedVersion: 1, actualVersion: 2 }), captureIo("/"))).toBe(EXIT_CODES.failure);
  });

  it("rethrows anything that is not a runtime error", () => {
    const foreign = new Error("boom");
    expect(() => reportError("erase", foreign, captureIo("/"))).toThrow(foreign);
  });
});
