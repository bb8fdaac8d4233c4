import { describe, expect, it } from "vitest";
import {
  AGGREGATE_ERROR_CODES,
  AggregateLayerError,
  AggregateVersionNotFoundError,
  CommandRetriesExhaustedError,
  isAggregateLayerError,
} from "./aggregate/aggregate-errors.js";
import {
  AuthenticationFailure,
  CRYPTO_ERROR_CODES,
  CryptoError,
  CryptoParameterError,
  DecryptionError,
  isCryptoError,
  KekConfigError,
  KekMismatchError,
  KekNotFoundError,
  KeyUnwrapError,
  PiiFieldError,
} from "./crypto/crypto-errors.js";
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

describe("crypto and aggregate errors", () => {
  const cause = new Error("inner");
  const conflict = new StreamConflictError({ streamId: "account-1", expectedVersion: 1, actualVersion: 2 });
  const crypto = [
    new CryptoParameterError("nonce", "12 bytes", "8 bytes"),
    new AuthenticationFailure({ cause }),
    new DecryptionError("authentication-failed", { eventId: "e-1", eventType: "CustomerRegistered", path: "/email" }, "Wrong key.", { cause }),
    new KeyUnwrapError("v1", "key-1", "tag mismatch", { cause }),
    new KekNotFoundError("v0", ["v1"]),
    new KekMismatchError("v1", { cause }),
    new KekConfigError("STRATA_KEKS", "not JSON", { cause }),
    new PiiFieldError("CustomerRegistered", "/email", "the subject id is missing"),
  ] as const;
  const aggregate = [
    new CommandRetriesExhaustedError("account", "account-1", 5, { cause: conflict }),
    new AggregateVersionNotFoundError("account", "account-1", 9, 4),
  ] as const;

  it("are StrataErrors that isStrataError narrows by their code, keeping name, message and cause", () => {
    expect(new Set(crypto.map((error) => error.code))).toEqual(new Set(CRYPTO_ERROR_CODES));
    expect(new Set(aggregate.map((error) => error.code))).toEqual(new Set(AGGREGATE_ERROR_CODES));
    for (const error of [...crypto, ...aggregate]) {
      expect(error).toBeInstanceOf(StrataError);
      expect(STRATA_ERROR_CODES).toContain(error.code);
      expect(isStrataError(error)).toBe(true);
      expect(isStrataError(error, error.code)).toBe(true);
      expect(isStrataError(error, "STREAM_CONFLICT")).toBe(false);
      expect(error.name).toBe(error.constructor.name);
      expect(error.message).not.toBe("");
    }
    expect(crypto[2].name).toBe("DecryptionError");
    expect(crypto[2].message).toBe('Cannot decrypt personal data at "/email" of event e-1 (CustomerRegistered): authentication-failed. Wrong key.');
    expect(crypto[2].cause).toBe(cause);
    expect(crypto[0].cause).toBeUndefined();
    expect("cause" in crypto[0]).toBe(false);
    expect(aggregate[0].name).toBe("CommandRetriesExhaustedError");
    expect(aggregate[0].cause).toBe(conflict);
    expect(aggregate[1].message).toBe('Cannot load account stream "account-1" at version 9: the stream ends at version 4.');
  });

  it("keep their own guards, which refuse the other layers' codes", () => {
    for (const error of crypto) {
      expect(error).toBeInstanceOf(CryptoError);
      expect(isCryptoError(error)).toBe(true);
      expect(isCryptoError(error, error.code)).toBe(true);
      expect(isAggregateLayerError(error)).toBe(false);
    }
    for (const error of aggregate) {
      expect(error).toBeInstanceOf(AggregateLayerError);
      expect(isAggregateLayerError(error)).toBe(true);
      expect(isAggregateLayerError(error, error.code)).toBe(true);
      expect(isCryptoError(error)).toBe(false);
    }
    expect(isCryptoError(conflict)).toBe(false);
    expect(isAggregateLayerError(conflict)).toBe(false);
    expect(isCryptoError(crypto[1], "DECRYPTION_FAILED")).toBe(false);
    expect(isAggregateLayerError(aggregate[0], "AGGREGATE_VERSION_NOT_FOUND")).toBe(false);
  });

  it("narrow to their own fields through isStrataError", () => {
    const error: unknown = aggregate[0];
    if (!isStrataError(error, "COMMAND_RETRIES_EXHAUSTED")) throw new Error("not narrowed");
    expect(error.code).toBe("COMMAND_RETRIES_EXHAUSTED");
    if (!isCryptoError(crypto[3], "KEY_UNWRAP_FAILED")) throw new Error("not narrowed");
    expect(crypto[3].kekId).toBe("v1");
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
