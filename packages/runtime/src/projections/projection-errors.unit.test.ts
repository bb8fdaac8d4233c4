import { describe, expect, it } from "vitest";
import { isStrataError, StrataError } from "../errors.js";
import { describeFailure, isProjectionError, ProjectionFailedError, ProjectionNotFailedError, ProjectionNotFoundError } from "./projection-errors.js";

describe("projection errors", () => {
  it("carry stable codes that the guard checks without instanceof", () => {
    const failed = new ProjectionFailedError({ projection: "balances", eventId: "e-1", eventType: "MoneyDeposited", attempts: 5 });
    expect(isProjectionError(failed, "PROJECTION_FAILED")).toBe(true);
    expect(isProjectionError(failed, "PROJECTION_NOT_FOUND")).toBe(false);
    expect(failed.message).toContain('strata projections retry balances');
    expect(failed.message).toContain("e-1");
    const copy = Object.assign(new Error("from another install"), { code: "PROJECTION_NOT_FAILED" });
    expect(isProjectionError(copy, "PROJECTION_NOT_FAILED")).toBe(true);
    expect(isProjectionError(Object.assign(new Error("x"), { code: "OTHER" }))).toBe(false);
    expect(new ProjectionNotFoundError({ projection: "nope", known: ["balances"] }).message).toContain("known: balances");
    expect(new ProjectionNotFailedError({ projection: "balances", action: "skip" }).code).toBe("PROJECTION_NOT_FAILED");
  });

  it("are Strata errors: isStrataError narrows them by code, and the cause is chained", () => {
    const cause = new TypeError("handler broke");
    const failed = new ProjectionFailedError({ projection: "balances", eventId: "e-1", eventType: "MoneyDeposited", attempts: 2, cause });
    expect(failed).toBeInstanceOf(StrataError);
    expect(isStrataError(failed, "PROJECTION_FAILED")).toBe(true);
    expect(isStrataError(failed, "STREAM_CONFLICT")).toBe(false);
    expect(isStrataError(new ProjectionNotFoundError({ projection: "x", known: [] }), "PROJECTION_NOT_FOUND")).toBe(true);
    expect(failed.cause).toBe(cause);
    expect(failed.name).toBe("ProjectionFailedError");
    expect(failed.projection).toBe("balances");
  });

  it("keep only the class name and code of a handler error, never its message", () => {
    expect(describeFailure(new TypeError("ada@example.com is not allowed"))).toBe("TypeError");
    expect(describeFailure(Object.assign(new RangeError("secret"), { code: "E42" }))).toBe("RangeError (code E42)");
    expect(describeFailure("a string with data")).toBe("non-Error value thrown (string)");
  });
});
