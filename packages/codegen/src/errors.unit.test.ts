import { describe, expect, it } from "vitest";
import { CatalogError, StrataCodegenError, isCatalogError, isLockFileError, isStrataCodegenError, LockFileError } from "./errors.js";

describe("codegen errors", () => {
  it("are recognised by code and marker, also when they come from another copy of the package", () => {
    const error = new CatalogError([{ code: "malformed-json", file: "schemas/a/B/v1.json", pointer: "", message: "bad" }], { cause: new Error("root") });
    expect(isStrataCodegenError(error)).toBe(true);
    expect(isCatalogError(error)).toBe(true);
    expect(isLockFileError(error)).toBe(false);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toBe("The schema catalog has 1 problem:\n  schemas/a/B/v1.json#: bad");
    // A copy from a second install: same marker and code, different class.
    const foreign = Object.assign(new Error("x"), { code: "STRATA_CATALOG_INVALID", problems: [], [Symbol.for("@strata/codegen/error")]: true });
    expect(isCatalogError(foreign)).toBe(true);
    expect(isStrataCodegenError(Object.assign(new Error("x"), { code: "STRATA_CATALOG_INVALID" }))).toBe(false);
    expect(isLockFileError(new LockFileError("schemas/strata.lock.json", "bad"))).toBe(true);
    expect(new StrataCodegenError("X", "m").name).toBe("StrataCodegenError");
  });
});
