/**
 * Runs the JSON Schema Test Suite (draft 2020-12) through the generated zod validators.
 *
 * Every group whose schema Strata accepts is emitted, evaluated and must give the suite's verdict
 * for every case. Every group Strata refuses must be refused with a clear reason, and is counted
 * by keyword. `format.json` is excluded: it asserts that `format` is an annotation, while Strata
 * uses the format-assertion vocabulary (the `optional/format/*` files are run instead).
 *
 * A complete green run writes the counts to conformance-counts.json for the README.
 */
import { Project } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";

import { classifyGroup } from "./classify-group.js";
import { ConformanceCounts } from "./conformance-counts.js";
import { evaluateZod } from "./evaluate-zod.js";
import { suiteFiles } from "./suite-files.js";

const SUITE = "json-schema-org/JSON-Schema-Test-Suite@44401e0c046704b476ec9d2e2fccdaee618f259d, tests/draft2020-12";
const EXCLUDED_FILES = new Map([["format.json", "asserts that format is annotation-only; Strata asserts formats (see optional/format/*)"]]);

const counts = new ConformanceCounts();
const emitted: string[] = [];

for (const file of suiteFiles()) {
  describe(file.name, () => {
    const excluded = EXCLUDED_FILES.get(file.name);
    if (excluded !== undefined) {
      counts.exclude(file.name, file.groups.length, file.groups.reduce((n, group) => n + group.tests.length, 0), excluded);
      counts.expect();
      it("is excluded: every case expects format to be ignored", () => {
        expect(file.groups.flatMap((group) => group.tests.map((test) => test.valid))).not.toContain(false);
        counts.finished();
      });
      return;
    }
    file.groups.forEach((group, index) => {
      const name = `${index}: ${group.description}`;
      const verdict = classifyGroup(group);
      if (verdict.kind === "refused") {
        counts.refused(file.name, group.tests.length, verdict.keywords);
        counts.expect();
        it(`${name} — refused (${verdict.keywords.join(", ")})`, () => {
          expect(verdict.reasons.length).toBeGreaterThan(0);
          for (const { keyword, message } of verdict.reasons) {
            // A person can act on it: it names the keyword and where it is.
            expect(message).toContain(keyword === "format" ? "format" : JSON.stringify(keyword).slice(1, -1));
            expect(message).toMatch(/\bat \//);
          }
          counts.finished();
        });
        return;
      }
      counts.validated(file.name, group.tests.length);
      counts.expect();
      emitted.push(`// ${file.name} #${index}\nexport const validator${emitted.length} = ${verdict.code};`);
      it(name, () => {
        const validator = evaluateZod(verdict.code);
        const disagreements = group.tests
          .filter((test) => validator.safeParse(test.data).success !== test.valid)
          .map((test) => `${test.description}: expected ${test.valid ? "valid" : "invalid"} for ${JSON.stringify(test.data)}`);
        expect(disagreements, verdict.code).toEqual([]);
        counts.passed(file.name, group.tests.length);
        counts.finished();
      });
    });
  });
}

describe("emitted validators as code", () => {
  it("type-check in one strict TypeScript module importing only zod", () => {
    const project = new Project({ tsConfigFilePath: new URL("../../tsconfig.json", import.meta.url).pathname, skipAddingFilesFromTsConfig: true });
    const source = project.createSourceFile(new URL("generated-check.ts", import.meta.url).pathname, ['import { z } from "zod";', ...emitted].join("\n\n"), { overwrite: true });
    const problems = project
      .getPreEmitDiagnostics()
      .filter((diagnostic) => diagnostic.getSourceFile() === source)
      .map((diagnostic) => `line ${diagnostic.getLineNumber() ?? "?"}: ${project.formatDiagnosticsWithColorAndContext([diagnostic])}`);
    expect(emitted.length).toBeGreaterThan(300);
    expect(problems).toEqual([]);
    // About 15,000 lines of emitted TypeScript: type-checking them takes ~30 s alone on a
    // 2-core machine, more under load.
  }, 300_000);
});

afterAll(() => {
  if (counts.complete()) counts.write(SUITE);
});
