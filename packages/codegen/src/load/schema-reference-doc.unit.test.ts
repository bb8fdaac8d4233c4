import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { COMPATIBILITY_MODES } from "../model/catalog-model.js";
import { SUPPORTED_FORMATS, SUPPORTED_KEYWORDS } from "../model/supported-keywords.js";
import { CATALOG_PROBLEM_CODES } from "./problem-codes.js";

const DOC = resolve(import.meta.dirname, "../../../../docs/schema-reference.md");

describe("docs/schema-reference.md", () => {
  it("documents every problem code, supported keyword, format and compatibility mode", async () => {
    const text = await readFile(DOC, "utf8");
    for (const code of Object.keys(CATALOG_PROBLEM_CODES)) expect(text).toContain(`| \`${code}\` |`);
    for (const keyword of SUPPORTED_KEYWORDS) expect(text).toContain(`\`${keyword}\``);
    for (const format of SUPPORTED_FORMATS) expect(text).toContain(`\`${format}\``);
    for (const mode of COMPATIBILITY_MODES) expect(text).toContain(`\`${mode}\``);
  });
});
