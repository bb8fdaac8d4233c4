/**
 * Runtime helpers for the keywords that depend on what other keywords did: `if`/`then`/`else`,
 * and `unevaluatedProperties`/`unevaluatedItems`, which apply to the names and indices no
 * adjacent or in-place keyword evaluated (JSON Schema 2020-12 §11).
 *
 * How unevaluated works here: the emitter turns the schema's in-place structure into an
 * `Evaluation` plan (emit-evaluation-plan.ts) — which names, patterns, prefix length and
 * `contains` schemas annotate, which `anyOf`/`oneOf`/`if` branches add their own annotations
 * when they validate, which `dependentSchemas` apply when their name is present. At run time
 * `evaluate` walks the plan over the value and collects the evaluated keys. Annotations of a
 * failing branch are dropped, as the specification says; a failing `allOf` branch, `then`,
 * `else` or dependent schema fails the whole schema, so its annotations never matter.
 * Interpreting validators such as @cfworker/json-schema thread an `evaluated` record through
 * validation and merge the records of passing branches; a zod validator cannot return
 * annotations, so the plan re-runs the branch validators that decide which annotations count.
 */
export const ANNOTATION_HELPER_SOURCES = {
  ifThenElse: `const ifThenElse = (condition: z.ZodType, then: z.ZodType | undefined, otherwise: z.ZodType | undefined) => (value: unknown, ctx: z.core.$RefinementCtx): void => {
  const branch = condition.safeParse(value).success ? then : otherwise;
  if (branch === undefined) return;
  const result = branch.safeParse(value);
  if (!result.success) forward(ctx, result.error.issues);
};`,
  Evaluation: `type Evaluation = {
  readonly names?: readonly string[];
  readonly patterns?: readonly RegExp[];
  readonly prefix?: number;
  readonly contains?: readonly z.ZodType[];
  readonly all?: boolean;
  readonly when?: readonly (readonly [z.ZodType, Evaluation])[];
  readonly conditionals?: readonly (readonly [z.ZodType, Evaluation, Evaluation, Evaluation])[];
  readonly dependentSchemas?: readonly (readonly [string, Evaluation])[];
};`,
  evaluate: `const evaluate = (plan: Evaluation, value: object, keys: readonly (string | number)[], into: Set<string | number>): boolean => {
  if (plan.all === true) return true;
  const items: readonly unknown[] = Array.isArray(value) ? value : [];
  for (const key of keys) {
    const evaluated = typeof key === "string"
      ? (plan.names?.includes(key) ?? false) || (plan.patterns?.some((pattern) => pattern.test(key)) ?? false)
      : key < (plan.prefix ?? 0) || (plan.contains?.some((schema) => schema.safeParse(items[key]).success) ?? false);
    if (evaluated) into.add(key);
  }
  const passes = (schema: z.ZodType): boolean => schema.safeParse(value).success;
  for (const [schema, branch] of plan.when ?? []) if (passes(schema) && evaluate(branch, value, keys, into)) return true;
  for (const [condition, own, then, otherwise] of plan.conditionals ?? []) {
    const holds = passes(condition);
    if (holds && evaluate(own, value, keys, into)) return true;
    if (evaluate(holds ? then : otherwise, value, keys, into)) return true;
  }
  if (!Array.isArray(value)) {
    for (const [name, dependent] of plan.dependentSchemas ?? []) if (Object.hasOwn(value, name) && evaluate(dependent, value, keys, into)) return true;
  }
  return false;
};`,
  unevaluatedProperties: `const unevaluatedProperties = (plan: Evaluation, schema: z.ZodType | false) => (value: unknown, ctx: z.core.$RefinementCtx): void => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  const keys = Object.keys(value);
  const evaluated = new Set<string | number>();
  if (evaluate(plan, value, keys, evaluated)) return;
  for (const key of keys) {
    if (evaluated.has(key)) continue;
    if (schema === false) {
      ctx.addIssue({ code: "custom", message: \`Property \${JSON.stringify(key)} is not allowed here (unevaluatedProperties)\`, input: value, path: [key] });
      continue;
    }
    const result = schema.safeParse((value as Record<string, unknown>)[key]);
    if (!result.success) forward(ctx, result.error.issues, [key]);
  }
};`,
  unevaluatedItems: `const unevaluatedItems = (plan: Evaluation, schema: z.ZodType | false) => (value: unknown, ctx: z.core.$RefinementCtx): void => {
  if (!Array.isArray(value)) return;
  const items: readonly unknown[] = value;
  const indices = items.map((_, index) => index);
  const evaluated = new Set<string | number>();
  if (evaluate(plan, items, indices, evaluated)) return;
  for (const index of indices) {
    if (evaluated.has(index)) continue;
    if (schema === false) {
      ctx.addIssue({ code: "custom", message: \`Item \${index} is not allowed here (unevaluatedItems)\`, input: items[index], path: [index] });
      continue;
    }
    const result = schema.safeParse(items[index]);
    if (!result.success) forward(ctx, result.error.issues, [index]);
  }
};`,
} as const;

/** Helpers each annotation helper calls. */
export const ANNOTATION_HELPER_DEPENDENCIES = {
  ifThenElse: ["forward"],
  evaluate: ["Evaluation"],
  unevaluatedProperties: ["evaluate", "forward"],
  unevaluatedItems: ["evaluate", "forward"],
} as const;
