/**
 * Reads a hand-written upcaster file with ts-morph (syntax only, no type-check of the package)
 * and says whether it exports the expected function with the expected types and is no longer
 * the unfilled scaffold.
 */
import { readFile } from "node:fs/promises";
import { Node, Project } from "ts-morph";
import type { ParameterDeclaration, SourceFile, TypeNode } from "ts-morph";

import type { ExpectedUpcaster } from "./expected-upcaster.js";
import { UNFILLED_UPCASTER_MARKER } from "./expected-upcaster.js";

/** The verdict on one hand-written upcaster file. `detail` never contains event data. */
export type UpcasterInspection =
  | { readonly status: "ok" }
  | { readonly status: "missing-file"; readonly detail: string }
  | { readonly status: "missing-export"; readonly detail: string }
  | { readonly status: "wrong-signature"; readonly detail: string }
  | { readonly status: "unfilled"; readonly detail: string };

/** Local name → the module and exported name it was imported as. */
function importsOf(file: SourceFile): Map<string, { readonly module: string; readonly name: string }> {
  const map = new Map<string, { module: string; name: string }>();
  for (const declaration of file.getImportDeclarations()) {
    const module = declaration.getModuleSpecifierValue();
    for (const named of declaration.getNamedImports()) {
      map.set(named.getAliasNode()?.getText() ?? named.getName(), { module, name: named.getName() });
    }
  }
  return map;
}

function refersTo(node: TypeNode | undefined, imports: ReturnType<typeof importsOf>, module: string, name: string): boolean {
  if (node === undefined || !Node.isTypeReference(node) || node.getTypeArguments().length > 0) return false;
  const imported = imports.get(node.getTypeName().getText());
  return imported !== undefined && imported.module === module && imported.name === name;
}

function checkSignature(parameters: readonly ParameterDeclaration[], returnType: TypeNode | undefined, imports: ReturnType<typeof importsOf>, expected: ExpectedUpcaster): string | undefined {
  const [data, context, ...extra] = parameters;
  const from = `${expected.fromType} (import type from "${expected.typesModule}")`;
  if (data === undefined || !refersTo(data.getTypeNode(), imports, expected.typesModule, expected.fromType)) {
    return `its first parameter must be typed ${from}, found ${data?.getTypeNode()?.getText() ?? "no type"}`;
  }
  if (context !== undefined && !refersTo(context.getTypeNode(), imports, "@strata/runtime", "UpcastContext")) {
    return `its second parameter must be typed UpcastContext (from "@strata/runtime"), found ${context.getTypeNode()?.getText() ?? "no type"}`;
  }
  if (extra.length > 0) return `it takes ${parameters.length} parameters; an upcaster takes (data, context)`;
  if (!refersTo(returnType, imports, expected.typesModule, expected.toType)) {
    return `its return type must be annotated ${expected.toType} (from "${expected.typesModule}"), found ${returnType?.getText() ?? "none"}`;
  }
  return undefined;
}

/** True when the body only throws (the scaffold's shape) or still carries the placeholder text. */
function isUnfilled(body: Node | undefined): boolean {
  if (body === undefined) return true;
  if (body.getText().includes(UNFILLED_UPCASTER_MARKER)) return true;
  if (!Node.isBlock(body)) return false;
  const statements = body.getStatements();
  return statements.length > 0 && statements.every((statement) => Node.isThrowStatement(statement));
}

/** Inspects source text (see {@link inspectHandWrittenUpcaster}). */
export function inspectUpcasterSource(fileName: string, text: string, expected: ExpectedUpcaster): UpcasterInspection {
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile(`/${fileName.replace(/^\/+/, "")}`, text);
  const declaration = file.getExportedDeclarations().get(expected.exportName)?.[0];
  let fn: Node | undefined;
  if (Node.isFunctionDeclaration(declaration)) fn = declaration;
  else if (Node.isVariableDeclaration(declaration)) {
    const initializer = declaration.getInitializer();
    if (Node.isArrowFunction(initializer) || Node.isFunctionExpression(initializer)) fn = initializer;
  }
  if (fn === undefined || !(Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) {
    return { status: "missing-export", detail: `does not export a function named ${expected.exportName}` };
  }
  if (fn.isAsync()) return { status: "wrong-signature", detail: `${expected.exportName} is async; upcasters are synchronous and pure` };
  const problem = checkSignature(fn.getParameters(), fn.getReturnTypeNode(), importsOf(file), expected);
  if (problem !== undefined) return { status: "wrong-signature", detail: `${expected.exportName}: ${problem}` };
  if (isUnfilled(fn.getBody())) {
    return { status: "unfilled", detail: `${expected.exportName} is still the unfilled scaffold (its body only throws)` };
  }
  return { status: "ok" };
}

/**
 * Checks that `filePath` exports `expected.exportName` as `(data: From, context?: UpcastContext) => To`,
 * with the types imported from the generated types module, and that its body is written.
 */
export async function inspectHandWrittenUpcaster(filePath: string, expected: ExpectedUpcaster): Promise<UpcasterInspection> {
  let text: string;
  try {
    text = await readFile(filePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing-file", detail: "the file does not exist (run `strata codegen` to scaffold it)" };
    throw error;
  }
  return inspectUpcasterSource(filePath, text, expected);
}
