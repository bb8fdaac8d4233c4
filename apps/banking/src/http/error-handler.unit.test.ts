import {
  AggregateVersionNotFoundError,
  CommandRetriesExhaustedError,
  DecryptionError,
  isStrataError,
  KekNotFoundError,
  StreamConflictError,
} from "@strata/runtime";
import { describe, expect, it } from "vitest";

import { problemFor } from "./error-handler.js";

describe("problemFor", () => {
  const conflict = new StreamConflictError({ streamId: "account-1", expectedVersion: 3, actualVersion: 4 });

  it("maps aggregate errors, which are StrataErrors, to their own problems", () => {
    const notFound = new AggregateVersionNotFoundError("account", "account-1", 9, 4);
    const exhausted = new CommandRetriesExhaustedError("account", "account-1", 5, { cause: conflict });
    expect(isStrataError(notFound)).toBe(true);
    expect(isStrataError(exhausted)).toBe(true);
    expect(problemFor(notFound)).toMatchObject({ status: 404, code: "version_not_found", requestedVersion: 9, actualVersion: 4 });
    // Its cause is a stream conflict, but the error itself is not one.
    expect(problemFor(exhausted)).toMatchObject({ status: 409, code: "too_much_contention", streamId: "account-1" });
    expect(problemFor(conflict)).toMatchObject({ status: 409, code: "concurrency_conflict", actualVersion: 4 });
  });

  it("keeps crypto errors internal errors whose message (naming events and keys) does not go out", () => {
    const decryption = new DecryptionError("authentication-failed", { eventId: "e-1", eventType: "CustomerRegistered", path: "/email" }, "Wrong key.");
    for (const error of [decryption, new KekNotFoundError("v0", ["v1"])]) {
      expect(isStrataError(error)).toBe(true);
      const body = problemFor(error);
      expect(body).toMatchObject({ status: 500, code: "internal_error" });
      expect(body.detail).not.toContain(error.message);
    }
  });
});
