/**
 * State of one `emitZodExpression` call: the document root (for local `$ref`s), the runtime
 * helpers the output uses, and the `$ref`s being inlined (to refuse cycles).
 */
import type { ts } from "ts-morph";

import type { JsonSchema } from "../../model/catalog-model.js";
import type { HelperName } from "./runtime-helpers.js";

/** Emits the validator of a subschema found at `pointer`. */
export type EmitSchema = (schema: JsonSchema, pointer: string, context: EmitContext) => ts.Expression;

export interface EmitContext {
  readonly root: JsonSchema;
  readonly helpers: Set<HelperName>;
  /** JSON Pointers of the `$ref` targets currently being inlined, outermost first. */
  readonly refStack: readonly string[];
  /** True below a nested `$id`, where `#` would mean that resource, not the document. */
  readonly nestedResource: boolean;
  readonly emit: EmitSchema;
  /** Also refuse what the event store cannot hold (see `ZodEmitOptions.storable`). */
  readonly storable?: boolean;
}

/** Marks `name` as used and returns it, for use as a callee. */
export function useHelper(context: EmitContext, name: HelperName): HelperName {
  context.helpers.add(name);
  return name;
}

/** Appends reference tokens to a JSON Pointer (`/properties` + `a/b` → `/properties/a~1b`). */
export { appendPointer as childPointer } from "../../load/json-pointer.js";
