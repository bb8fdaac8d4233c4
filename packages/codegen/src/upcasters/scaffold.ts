/**
 * The first content of a hand-written upcaster file: typed, documented with the changes it must
 * bridge, and throwing a recognisable placeholder error until a developer writes the body.
 * `strata check` reports a file that still holds the placeholder.
 */
import { Project } from "ts-morph";

import type { SchemaChange } from "../diff/schema-change.js";
import type { HandWrittenUpcasterStep } from "../model/upcaster-plan.js";
import { UNFILLED_UPCASTER_MARKER, expectedUpcaster } from "./expected-upcaster.js";

export { UNFILLED_UPCASTER_MARKER, expectedUpcaster } from "./expected-upcaster.js";
export type { ExpectedUpcaster } from "./expected-upcaster.js";

function describeChange(change: SchemaChange): string {
  const where = change.pointer === "" ? "(event)" : change.pointer;
  return `- ${where}: ${change.kind}, ${change.detail}${change.derivable === null ? " — needs code" : ""}`;
}

/**
 * The scaffold of a hand-written upcaster, for codegen to write at `src/<step.file>` when the
 * file does not exist (and never over an existing one).
 *
 * @param changes the step's changes, listed in the function's doc comment as a to-do list.
 */
export function scaffoldUpcasterSource(step: HandWrittenUpcasterStep, changes: readonly SchemaChange[] = []): string {
  const expected = expectedUpcaster(step);
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile(`/${step.file}`, "");
  file.addImportDeclarations([
    { moduleSpecifier: "@strata/runtime", isTypeOnly: true, namedImports: ["UpcastContext"] },
    { moduleSpecifier: expected.typesModule, isTypeOnly: true, namedImports: [expected.fromType, expected.toType] },
  ]);
  const todo = changes.length === 0 ? [] : ["", "Changes to bridge (from `strata check`):", ...changes.map(describeChange)];
  file.addFunction({
    name: step.exportName,
    isExported: true,
    docs: [
      [
        `Upcasts ${step.type} v${step.from} data to v${step.to}. Pure: same input, same output, no I/O.`,
        "`context` carries the stored event's id, stream, recorded time and metadata.",
        ...todo,
      ].join("\n"),
    ],
    parameters: [
      { name: "_data", type: expected.fromType },
      { name: "_context", type: "UpcastContext" },
    ],
    returnType: expected.toType,
    statements: [
      `throw new Error(${JSON.stringify(`${UNFILLED_UPCASTER_MARKER} ${step.type} v${step.from}→v${step.to}: write this upcaster in src/${step.file}`)});`,
    ],
  });
  file.formatText({ indentSize: 2, convertTabsToSpaces: true });
  const header = "// Hand-written upcaster, scaffolded once by @strata/codegen; codegen never overwrites this file.\n";
  return `${header}${file.getFullText().trim()}\n`;
}
