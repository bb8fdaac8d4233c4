import { describe, expect, it } from "vitest";
import {
  DuplicateEventIdError,
  EventValidationError,
  isStrataError,
  StoreQueryError,
  StreamConflictError,
  StrataError,
  STRATA_ERROR_CODES,
} from "./errors.js";
import { wrapDriverError } from "./storage/driver-errors.js";

describe("isStrataError", () => {
  it("recognises errors by code, also when they come from another copy of the package", () => {
    const foreign = Object.assign(new Error("from another install"), { code: "STREAM_CONFLICT" });
    expect(isStrataError(foreign, "STREAM_CONFLICT")).toBe(true);
    expect(isStrataError(foreign, "STREAM_DELETED")).toBe(false);
    expect(isStrataError(Object.assign(new Error("pg"), { code: "23505" }))).toBe(false);
    expect(isStrataError({ code: "STREAM_CONFLICT" })).toBe(false);
    expect(isStrataError(new StreamConflictError({ streamId: "s", expectedVersion: 1, actualVersion: 2 }))).toBe(true);
  });

  it("gives every code one stable spelling", () => {
    expect(new Set(STRATA_ERROR_CODES).size).toBe(STRATA_ERROR_CODES.length);
    for (const code of STRATA_ERROR_CODES) expect(code).toMatch(/^[A-Z_]+$/);
  });
});

describe("error messages", () => {
  it("says what conflicted and what to do", () => {
    const error = new StreamConflictError({ streamId: "account-1", expectedVersion: "no_stream", actualVersion: 4 });
    expect(error.message).toBe('Stream "account-1" is at version 4, but "no_stream" was expected. Reload the stream and retry.');
    expect(error.name).toBe("StreamConflictError");
    expect(error).toBeInstanceOf(StrataError);
  });

  it("lists validation issues by event, type and path without values, and accepts the generated-class form", () => {
    const error = new EventValidationError({
      type: "AccountOpened",
      issues: [
        { path: ["owner", "email"], message: "Invalid email address" },
        { path: [], message: "Expected object" },
      ],
    });
    expect(error.issues.map((issue) => issue.type)).toEqual(["AccountOpened", "AccountOpened"]);
    expect(error.message).toContain("AccountOpened /owner/email: Invalid email address");
    expect(error.message).toContain("AccountOpened (root): Expected object");
  });

  it("names the streams holding a reused event id", () => {
    const error = new DuplicateEventIdError({ eventId: "e-1", streamId: "b", existingStreamId: "a", reason: "with a different type or data" });
    expect(error.message).toContain('stream "a"');
    expect(error.message).toContain('stream "b"');
  });
});

describe("wrapDriverError", () => {
  it("maps connection-class SQLSTATEs and socket errors to STORE_UNAVAILABLE, keeping the cause", () => {
    for (const cause of [Object.assign(new Error("x"), { code: "57P01" }), Object.assign(new Error("x"), { code: "08006" }), Object.assign(new Error("x"), { code: "ECONNREFUSED" }), new Error("Connection terminated")]) {
      const error = wrapDriverError(cause);
      expect(error.code).toBe("STORE_UNAVAILABLE");
      expect(error.cause).toBe(cause);
    }
  });

  it("maps other SQLSTATEs to STORE_QUERY_FAILED with state and constraint, never the driver's message", () => {
    const cause = Object.assign(new Error('invalid input syntax for type uuid: "secret@example.com"'), { code: "22P02", constraint: undefined });
    const error = wrapDriverError(cause);
    expect(error).toBeInstanceOf(StoreQueryError);
    expect(error).toMatchObject({ code: "STORE_QUERY_FAILED", sqlState: "22P02" });
    expect(error.message).not.toContain("secret@example.com");
    const unique = wrapDriverError(Object.assign(new Error("dup"), { code: "23505", constraint: "events_pkey" }));
    expect(unique).toMatchObject({ sqlState: "23505", constraint: "events_pkey" });
  });
});
