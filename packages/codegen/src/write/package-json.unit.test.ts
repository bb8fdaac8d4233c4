import { describe, expect, it } from "vitest";

import type { OwnedPackageFields } from "../emit/package-file.js";
import { isPackageJsonError, mergePackageJson } from "./package-json.js";

const owned: OwnedPackageFields = {
  name: "@acme/shop-events",
  type: "module",
  exports: { ".": { default: "./dist/index.js" } },
  dependencies: { "@strata/runtime": "workspace:*", zod: "catalog:" },
};
const initial = { name: owned.name, version: "0.0.0" };

describe("mergePackageJson", () => {
  it("writes the initial content when there is no file", () => {
    expect(mergePackageJson("p/package.json", undefined, owned, initial)).toBe(`${JSON.stringify(initial, null, 2)}\n`);
  });

  it("returns undefined when the owned fields already agree, whatever the formatting", () => {
    const existing = JSON.stringify({ version: "3.1.0", ...owned, dependencies: { zod: "catalog:", "@strata/runtime": "workspace:*" } });
    expect(mergePackageJson("p/package.json", existing, owned, initial)).toBeUndefined();
  });

  it("updates owned fields, keeps version, key order and other dependencies", () => {
    const existing = JSON.stringify({ name: "old-name", version: "3.1.0", private: true, dependencies: { zod: "^3.0.0", lodash: "^4.0.0" } });
    const merged = JSON.parse(mergePackageJson("p/package.json", existing, owned, initial) ?? "{}") as Record<string, unknown>;
    expect(Object.keys(merged)).toEqual(["name", "version", "private", "dependencies", "type", "exports"]);
    expect(merged).toMatchObject({ name: "@acme/shop-events", version: "3.1.0", private: true, type: "module" });
    expect(merged["dependencies"]).toEqual({ "@strata/runtime": "workspace:*", lodash: "^4.0.0", zod: "catalog:" });
  });

  it("refuses a file that is not a JSON object, naming it", () => {
    for (const broken of ["{", "[]", "null"]) {
      let caught: unknown;
      try {
        mergePackageJson("packages/shop-events/package.json", broken, owned, initial);
      } catch (error) {
        caught = error;
      }
      expect(isPackageJsonError(caught)).toBe(true);
      expect((caught as Error).message).toContain("packages/shop-events/package.json");
    }
  });
});
