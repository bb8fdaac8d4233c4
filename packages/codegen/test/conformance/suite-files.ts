/** Reads the vendored JSON Schema Test Suite files (test/data/json-schema-test-suite). */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import type { JsonSchema, JsonValue } from "../../src/model/catalog-model.js";

/** One `{description, schema, tests}` entry of a suite file. */
export interface SuiteGroup {
  readonly description: string;
  readonly schema: JsonSchema;
  readonly tests: readonly { readonly description: string; readonly data: JsonValue; readonly valid: boolean }[];
}

/** A suite file, named relative to `tests/draft2020-12` (`type.json`, `optional/format/uuid.json`). */
export interface SuiteFile {
  readonly name: string;
  readonly groups: readonly SuiteGroup[];
}

const ROOT = fileURLToPath(new URL("../data/json-schema-test-suite/tests/draft2020-12/", import.meta.url));

function read(name: string): SuiteFile {
  return { name, groups: JSON.parse(readFileSync(ROOT + name, "utf8")) as SuiteGroup[] };
}

function jsonFiles(folder: string): string[] {
  return readdirSync(ROOT + folder)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => folder + name);
}

/** Every vendored file, sorted: the main files, then `optional/*`, then `optional/format/*`. */
export function suiteFiles(): SuiteFile[] {
  return [...jsonFiles(""), ...jsonFiles("optional/"), ...jsonFiles("optional/format/")].map(read);
}
