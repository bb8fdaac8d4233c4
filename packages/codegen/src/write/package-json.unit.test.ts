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
    const existing = JSON.stringify({
      version: "3.1.0",
      ...owned,
      publishConfig: { exports: owned.exports, access: "public" },
      dependencies: { zod: "catalog:", "@strata/runtime": "workspace:*" },
    });
    expect(mergePackageJson("p/package.json", existing, owned, initial)).toBeUndefined();
  });

  it("updates owned fields, keeps version, key order and other dependencies", () => {
    const existing = JSON.stringify({ name: "old-name", version: "3.1.0", private: true, dependencies: { zod: "^3.0.0", lodash: "^4.0.0" } });
    const merged = JSON.parse(mergePackageJson("p/package.json", existing, owned, initial) ?? "{}") as Record<string, unknown>;
    expect(Object.keys(merged)).toEqual(["name", "version", "private", "dependencies", "type", "exports", "publishConfig"]);
    expect(merged).toMatchObject({ name: "@acme/shop-events", version: "3.1.0", private: true, type: "module" });
    expect(merged["dependencies"]).toEqual({ "@strata/runtime": "workspace:*", lodash: "^4.0.0", zod: "catalog:" });
  });

  it("keeps publishConfig.exports equal to exports without the source condition, leaving the rest of publishConfig alone", () => {
    const withSource: OwnedPackageFields = {
      ...owned,
      exports: { ".": { "@strata/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" } },
    };
    const existing = JSON.stringify({
      ...withSource,
      exports: { ".": "./old.js" },
      publishConfig: { access: "restricted", registry: "https://npm.example.com/", exports: { ".": "./old.js" } },
    });
    const merged = JSON.parse(mergePackageJson("p/package.json", existing, withSource, initial) ?? "{}") as Record<string, unknown>;
    expect(merged["exports"]).toEqual(withSource.exports);
    expect(merged["publishConfig"]).toEqual({
      access: "restricted",
      registry: "https://npm.example.com/",
      exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
    });
    expect(mergePackageJson("p/package.json", JSON.stringify(merged), withSource, initial)).toBeUndefined();
  });

  it("adds publishConfig.exports to a package.json that has no publishConfig", () => {
    const existing = JSON.stringify({ ...owned, version: "1.0.0" });
    const merged = JSON.parse(mergePackageJson("p/package.json", existing, owned, initial) ?? "{}") as Record<string, unknown>;
    expect(merged["publishConfig"]).toEqual({ exports: owned.exports });
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
