/**
 * Runtime helpers that generated validators declare (only those they use) inside the validator
 * expression, for JSON Schema rules zod has no exact built-in for.
 *
 * Why source text: these helpers are fixed code that does not depend on the schema, and typed
 * TypeScript reads better as code than as hundreds of `ts.factory` calls. They are parsed once
 * into AST nodes; everything derived from a schema is still built node by node.
 */
import { ts } from "ts-morph";

import { ANNOTATION_HELPER_DEPENDENCIES, ANNOTATION_HELPER_SOURCES } from "./annotation-helpers.js";
import { DURATION_PATTERN, EMAIL_PATTERN, URI_PATTERN } from "./format-patterns.js";

const regexLiteral = (pattern: string): string => `/${new RegExp(pattern, "u").source}/u`;

const SOURCES = {
  jsonEqual: `const jsonEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
};`,
  decimal: `const decimal = (n: number): [bigint, number] => {
  const [mantissa = "0", exponent = "0"] = String(n).split("e");
  const [whole = "0", fraction = ""] = mantissa.split(".");
  return [BigInt(whole + fraction), Number(exponent) - fraction.length];
};`,
  isMultipleOf: `const isMultipleOf = (value: number, step: number): boolean => {
  const [v, ve] = decimal(value);
  const [s, se] = decimal(step);
  const e = Math.min(ve, se);
  return (v * 10n ** BigInt(ve - e)) % (s * 10n ** BigInt(se - e)) === 0n;
};`,
  forward: `const forward = (ctx: z.core.$RefinementCtx, issues: readonly z.core.$ZodIssue[], path: readonly PropertyKey[] = []): void => {
  for (const issue of issues) {
    const at = [...path, ...issue.path];
    // zod lets unrecognized_keys through a pipe, to be reconciled later; a forwarded one is final.
    if (issue.code === "unrecognized_keys") ctx.addIssue({ code: "custom", message: issue.message, path: at, params: { keys: issue.keys } });
    else ctx.addIssue({ ...issue, path: at });
  }
};`,
  allOf: `const allOf = (schemas: readonly z.ZodType[]) => (value: unknown, ctx: z.core.$RefinementCtx): void => {
  for (const schema of schemas) {
    const result = schema.safeParse(value);
    if (!result.success) forward(ctx, result.error.issues);
  }
};`,
  anyOf: `const anyOf = (schemas: readonly z.ZodType[]) => (value: unknown, ctx: z.core.$RefinementCtx): void => {
  if (!schemas.some((schema) => schema.safeParse(value).success)) {
    ctx.addIssue({ code: "custom", message: "Must match at least one schema of anyOf", input: value });
  }
};`,
  oneOf: `const oneOf = (schemas: readonly z.ZodType[]) => (value: unknown, ctx: z.core.$RefinementCtx): void => {
  const matches = schemas.filter((schema) => schema.safeParse(value).success).length;
  if (matches !== 1) {
    ctx.addIssue({ code: "custom", message: \`Must match exactly one schema of oneOf, matches \${matches}\`, input: value });
  }
};`,
  not: `const not = (schema: z.ZodType) => (value: unknown, ctx: z.core.$RefinementCtx): void => {
  if (schema.safeParse(value).success) ctx.addIssue({ code: "custom", message: "Must not match the schema of not", input: value });
};`,
  contains: `const contains = (schema: z.ZodType, min: number, max: number) => (items: unknown, ctx: z.core.$RefinementCtx): void => {
  if (!Array.isArray(items)) return;
  const matches = items.filter((item) => schema.safeParse(item).success).length;
  if (matches < min || matches > max) {
    const bounds = max === Infinity ? \`at least \${min}\` : \`between \${min} and \${max}\`;
    ctx.addIssue({ code: "custom", message: \`Must contain \${bounds} matching items, has \${matches}\`, input: items });
  }
};`,
  uniqueItems: `const uniqueItems = (items: unknown, ctx: z.core.$RefinementCtx): void => {
  if (!Array.isArray(items)) return;
  items.forEach((item: unknown, i) => {
    const first = items.findIndex((other) => jsonEqual(other, item));
    if (first < i) ctx.addIssue({ code: "custom", message: \`Must be unique; equals item \${first}\`, input: item, path: [i] });
  });
};`,
  objectRules: `const objectRules = (rules: {
  properties?: readonly (readonly [string, z.ZodType])[];
  required?: readonly string[];
  patternProperties?: readonly (readonly [RegExp, z.ZodType])[];
  additionalProperties?: z.ZodType;
  knownProperties?: readonly string[];
  propertyNames?: z.ZodType;
  minProperties?: number;
  maxProperties?: number;
  dependentRequired?: readonly (readonly [string, readonly string[]])[];
  dependentSchemas?: readonly (readonly [string, z.ZodType])[];
}) => (value: unknown, ctx: z.core.$RefinementCtx): void => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  const record = value as Record<string, unknown>;
  const check = (schema: z.ZodType, input: unknown, path: readonly PropertyKey[]): void => {
    const result = schema.safeParse(input);
    if (!result.success) forward(ctx, result.error.issues, path);
  };
  const keys = Object.keys(record);
  const missing = (key: string): void => ctx.addIssue({ code: "custom", message: \`Missing required property \${JSON.stringify(key)}\`, input: undefined, path: [key] });
  for (const key of rules.required ?? []) if (!Object.hasOwn(record, key)) missing(key);
  for (const [key, schema] of rules.properties ?? []) if (Object.hasOwn(record, key)) check(schema, record[key], [key]);
  for (const [trigger, needed] of rules.dependentRequired ?? []) {
    if (Object.hasOwn(record, trigger)) for (const key of needed) if (!Object.hasOwn(record, key)) missing(key);
  }
  for (const [trigger, schema] of rules.dependentSchemas ?? []) if (Object.hasOwn(record, trigger)) check(schema, value, []);
  for (const key of keys) {
    let matched = rules.knownProperties?.includes(key) ?? false;
    for (const [pattern, schema] of rules.patternProperties ?? []) {
      if (pattern.test(key)) {
        matched = true;
        check(schema, record[key], [key]);
      }
    }
    if (!matched && rules.additionalProperties !== undefined) check(rules.additionalProperties, record[key], [key]);
    if (rules.propertyNames !== undefined) check(rules.propertyNames, key, [key]);
  }
  if (keys.length < (rules.minProperties ?? 0)) ctx.addIssue({ code: "custom", message: \`Must have at least \${rules.minProperties} properties\`, input: value });
  if (keys.length > (rules.maxProperties ?? Infinity)) ctx.addIssue({ code: "custom", message: \`Must have at most \${rules.maxProperties} properties\`, input: value });
};`,
  isFullDate: `const isFullDate = (year: number, month: number, day: number): boolean => {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day >= 1 && day <= days;
};`,
  isTime: `const isTime = (text: string): boolean => {
  const match = /^(\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d+)?(?:[Zz]|([+-])(\\d{2}):(\\d{2}))$/u.exec(text);
  if (match === null) return false;
  const [hour, minute, second, offsetHour, offsetMinute] = [1, 2, 3, 5, 6].map((i) => Number(match[i] ?? 0)) as [number, number, number, number, number];
  if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) return false;
  if (second < 60) return true;
  // A leap second exists only at 23:59:60 UTC.
  const sign = match[4] === "-" ? -1 : 1;
  return (hour * 60 + minute - sign * (offsetHour * 60 + offsetMinute) + 1440) % 1440 === 1439;
};`,
  isDateTime: `const isDateTime = (text: string): boolean => {
  const match = /^(\\d{4})-(\\d{2})-(\\d{2})[Tt](.*)$/u.exec(text);
  return match !== null && isFullDate(Number(match[1]), Number(match[2]), Number(match[3])) && isTime(match[4] ?? "");
};`,
  // The event store's rules for what jsonb holds exactly (runtime `src/store/storable-values.ts`):
  // keep both in step; a cross-check test compares them on arbitrary values.
  isStorableText: `const isStorableText = (text: string): boolean => !/\\u0000|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]/.test(text);`,
  isStorableNumber: `const isStorableNumber = (n: number): boolean => Math.abs(n) <= Number.MAX_SAFE_INTEGER;`,
  storable: `const storable = (value: unknown, ctx: z.core.$RefinementCtx): void => {
  const badText = /\\u0000|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]/;
  const text = "Must not contain U+0000 or an unpaired surrogate (PostgreSQL cannot store them)";
  const visit = (current: unknown, path: readonly PropertyKey[]): void => {
    if (typeof current === "string") {
      if (badText.test(current)) ctx.addIssue({ code: "custom", message: text, input: current, path: [...path] });
    } else if (typeof current === "number") {
      if (!(Math.abs(current) <= Number.MAX_SAFE_INTEGER)) {
        ctx.addIssue({ code: "custom", message: "Must be finite and within ±(2^53−1) to be stored exactly; send larger integers as decimal strings", input: current, path: [...path] });
      }
    } else if (typeof current === "bigint") {
      ctx.addIssue({ code: "custom", message: "Must not be a bigint (JSON cannot carry it); send it as a decimal string", input: current, path: [...path] });
    } else if (Array.isArray(current)) {
      current.forEach((item: unknown, i) => visit(item, [...path, i]));
    } else if (typeof current === "object" && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        if (badText.test(key)) ctx.addIssue({ code: "custom", message: \`Property name: \${text}\`, input: key, path: [...path, key] });
        visit(item, [...path, key]);
      }
    }
  };
  visit(value, []);
};`,
  emailPattern: `const emailPattern = ${regexLiteral(EMAIL_PATTERN)};`,
  uriPattern: `const uriPattern = ${regexLiteral(URI_PATTERN)};`,
  durationPattern: `const durationPattern = ${regexLiteral(DURATION_PATTERN)};`,
  ...ANNOTATION_HELPER_SOURCES,
};

/** Name of a runtime helper. */
export type HelperName = keyof typeof SOURCES;

/** Helpers a helper calls, declared before it. */
const DEPENDENCIES: Partial<Record<HelperName, readonly HelperName[]>> = {
  isMultipleOf: ["decimal"],
  allOf: ["forward"],
  uniqueItems: ["jsonEqual"],
  objectRules: ["forward"],
  isDateTime: ["isFullDate", "isTime"],
  ...ANNOTATION_HELPER_DEPENDENCIES,
};

/** The fixed declaration order, so output is deterministic. */
const ORDER = Object.keys(SOURCES) as HelperName[];

/** `names` in declaration order (without what they depend on). */
export function inDeclarationOrder(names: ReadonlySet<HelperName>): HelperName[] {
  return ORDER.filter((name) => names.has(name));
}

/** `names` plus everything they depend on, in declaration order. */
export function withDependencies(names: ReadonlySet<HelperName>): HelperName[] {
  const needed = new Set<HelperName>();
  const visit = (name: HelperName): void => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const dependency of DEPENDENCIES[name] ?? []) visit(dependency);
  };
  names.forEach(visit);
  return ORDER.filter((name) => needed.has(name));
}

const parsed = new Map<HelperName, ts.Statement>();

/** Detaches parsed nodes from their source text, so the printer prints them from the nodes. */
function synthesize(node: ts.Node): void {
  ts.setTextRange(node, { pos: -1, end: -1 });
  ts.forEachChild(node, synthesize);
}

/** The declaration statement of a helper, as a synthesized node that prints standalone. */
export function helperStatement(name: HelperName): ts.Statement {
  const cached = parsed.get(name);
  if (cached !== undefined) return cached;
  const file = ts.createSourceFile(`${name}.ts`, SOURCES[name], ts.ScriptTarget.ES2023, false, ts.ScriptKind.TS);
  const [statement] = file.statements;
  if (statement === undefined) throw new Error(`runtime helper ${name} has no statement`);
  synthesize(statement);
  parsed.set(name, statement);
  return statement;
}
