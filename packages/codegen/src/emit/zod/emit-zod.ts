/**
 * The zod emitter: turns a JSON Schema (draft 2020-12, Strata's supported keywords) into a zod 4
 * expression that accepts exactly the values the schema accepts. The expression refers to `z`
 * from `import { z } from "zod"` and nothing else; runtime helpers it needs are declared inside
 * it (an immediately invoked arrow function), so it can be pasted as one initializer.
 *
 * The output is a TypeScript AST built with `ts.factory`, printed by the TypeScript printer:
 * the same schema always yields the same code.
 */
import { ts } from "ts-morph";

import type { JsonSchema } from "../../model/catalog-model.js";
import type { EmitContext } from "./emit-context.js";
import { emitSchema } from "./emit-schema.js";
import { helperStatement, inDeclarationOrder, withDependencies } from "./runtime-helpers.js";
import type { HelperName } from "./runtime-helpers.js";

const f = ts.factory;

/** Options of {@link emitZodExpression}. */
export interface ZodEmitOptions {
  /**
   * Also refuse what the event store cannot hold exactly, as it does at append: strings or keys
   * with U+0000 or an unpaired surrogate, non-finite numbers, numbers beyond ±(2^53−1). JSON
   * Schema allows them; `strata codegen` turns this on for event validators, so a value the
   * generated validator accepts is one the store stores. The checks sit on the leaves (strings,
   * numbers) and on open subschemas (no type, open objects, arrays without items), never on a
   * closed object, so `.omit()`, `.pick()` and `.extend()` keep working on generated schemas.
   */
  readonly storable?: boolean;
}

/** A fresh emit state for `schema`. */
function emitContext(schema: JsonSchema, options: ZodEmitOptions): EmitContext {
  return { root: schema, helpers: new Set(), refStack: [""], nestedResource: false, emit: emitSchema, storable: options.storable === true };
}

/**
 * The zod 4 validator of `schema` as an expression node. Local `$ref`s (`#/$defs/x`) are inlined;
 * `default` is never applied (it is an annotation).
 *
 * @throws ZodEmitError for an unsupported keyword or format, a `$ref` outside the document, a
 * circular `$ref`, or a malformed keyword value.
 * @example
 * const expr = emitZodExpression({ type: "object", properties: { id: { type: "string", format: "uuid" } }, required: ["id"], additionalProperties: false });
 * // z.strictObject({ id: z.guid() })
 */
export function emitZodExpression(schema: JsonSchema, options: ZodEmitOptions = {}): ts.Expression {
  const context = emitContext(schema, options);
  const expression = emitSchema(schema, "", context);
  const helpers = withDependencies(context.helpers);
  if (helpers.length === 0) return expression;
  const body = f.createBlock([...helpers.map(helperStatement), f.createReturnStatement(expression)], true);
  const fn = f.createArrowFunction(undefined, undefined, [], undefined, f.createToken(ts.SyntaxKind.EqualsGreaterThanToken), body);
  return f.createCallExpression(f.createParenthesizedExpression(fn), undefined, []);
}

const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
const file = ts.createSourceFile("zod.ts", "", ts.ScriptTarget.ES2023, false, ts.ScriptKind.TS);

/** A validator printed without its runtime helpers: what a package holding several validators declares once. */
export interface PrintedZod {
  /** The zod 4 expression; it refers to `z` and to the {@link helpers} by name. */
  readonly expression: string;
  /**
   * The runtime helpers the expression calls, in declaration order; what they call in turn is
   * not listed ({@link printHelperDeclarations} declares it).
   */
  readonly helpers: readonly HelperName[];
}

/**
 * The zod 4 validator of `schema` as source text, its runtime helpers left to the caller: a
 * package with several validators declares each helper once ({@link printHelperDeclarations})
 * instead of once per validator, as {@link printZodExpression} must.
 *
 * @example
 * const { expression, helpers } = printZodParts({ type: "string" }, { storable: true });
 * // expression: z.string().refine(isStorableText, "…"); helpers: ["isStorableText"]
 */
export function printZodParts(schema: JsonSchema, options: ZodEmitOptions = {}): PrintedZod {
  const context = emitContext(schema, options);
  const expression = emitSchema(schema, "", context);
  return { expression: printer.printNode(ts.EmitHint.Expression, expression, file), helpers: inDeclarationOrder(context.helpers) };
}

/**
 * The declarations of `names` and of the helpers they call, in declaration order, as source
 * text; with `exported`, each with `export` (a module the validators import them from).
 */
export function printHelperDeclarations(names: Iterable<HelperName>, options: { readonly exported?: boolean } = {}): string {
  const exportKeyword = [f.createModifier(ts.SyntaxKind.ExportKeyword)];
  return withDependencies(new Set(names))
    .map((name) => {
      const statement = helperStatement(name);
      // Every helper is a `const` or a `type` declaration, which take modifiers.
      const node = options.exported === true ? f.replaceModifiers(statement as ts.VariableStatement | ts.TypeAliasDeclaration, exportKeyword) : statement;
      return printer.printNode(ts.EmitHint.Unspecified, node, file);
    })
    .join("\n");
}

/**
 * The zod 4 validator of `schema` as TypeScript source text (see {@link emitZodExpression}).
 *
 * @example
 * printZodExpression({ type: "string", minLength: 1, maxLength: 80 });
 * // z.string().min(1).refine(s => [...s].length <= 80, "Must have at most 80 characters")
 */
export function printZodExpression(schema: JsonSchema, options: ZodEmitOptions = {}): string {
  return printer.printNode(ts.EmitHint.Expression, emitZodExpression(schema, options), file);
}
