/**
 * Test support: type-checks files with the repository's compiler settings (strict,
 * exactOptionalPropertyTypes, NodeNext, the `@strata/source` condition) and returns the
 * diagnostics as `file:line: message` lines.
 */
import { createRequire } from "node:module";
import path from "node:path";

import ts from "typescript";

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2023,
  lib: ["lib.es2023.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  customConditions: ["@strata/source"],
  types: ["node"],
  typeRoots: [path.dirname(path.dirname(createRequire(import.meta.url).resolve("@types/node/package.json")))],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
};

export function typeCheck(files: readonly string[]): string[] {
  const program = ts.createProgram({ rootNames: [...files], options: OPTIONS });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (diagnostic.file === undefined || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.basename(diagnostic.file.fileName)}:${line + 1}: ${message}`;
  });
}
