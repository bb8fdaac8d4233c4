/**
 * The diff engine: every change between two versions of an event schema, each with its data
 * pointer, its BACKWARD/FORWARD verdicts and the upcast operations that bridge it (if any).
 *
 * Each keyword is compared on its own. Because a schema's keywords all have to hold, a change
 * judged compatible keyword by keyword is compatible for the whole schema; the converse is not
 * guaranteed (two keywords may interact so that a reported break is harmless), so the engine
 * errs towards "breaking", never towards "compatible".
 */
import type { JsonSchema, JsonSchemaObject } from "../model/catalog-model.js";
import { canonicalJson } from "./canonical-json.js";
import { diffArray } from "./diff-array.js";
import { diffBranches } from "./diff-branches.js";
import { diffConstraints } from "./diff-constraints.js";
import type { DiffContext, DiffLocation } from "./diff-context.js";
import { NARROWING, WIDENING, reportSimple } from "./diff-context.js";
import { diffObject } from "./diff-object.js";
import { diffType, diffValues } from "./diff-type.js";
import { normalizeSchema } from "./normalize-schema.js";
import { diffRefTargets } from "./ref-targets.js";
import type { SchemaChange } from "./schema-change.js";

/** Options of {@link diffSchemas}. */
export interface DiffOptions {
  /**
   * The schemas as written (with `$ref`s), to report `ref-target-changed`. `diffSchemas` compares
   * the resolved schemas it is given; the raw ones only contribute where references point.
   */
  readonly raw?: { readonly older: JsonSchemaObject; readonly newer: JsonSchemaObject };
}

function diffNode(context: DiffContext, olderSchema: JsonSchema | undefined, newerSchema: JsonSchema | undefined, location: DiffLocation): void {
  const older = normalizeSchema(olderSchema);
  const newer = normalizeSchema(newerSchema);
  if (canonicalJson(older) === canonicalJson(newer)) return;
  if (older === false) {
    reportSimple(context, location, "constraint-loosened", "schema was false (nothing was valid)", WIDENING);
    return;
  }
  if (newer === false) {
    reportSimple(context, location, "constraint-tightened", "schema is false (nothing is valid)", NARROWING);
    return;
  }
  diffType(context, older, newer, location);
  diffValues(context, older, newer, location);
  diffConstraints(context, older, newer, location);
  diffObject(context, older, newer, location);
  diffArray(context, older, newer, location);
  diffBranches(context, older, newer, location);
}

/**
 * Lists every change from `older` to `newer` (both resolved: `$ref`s inlined, as in
 * `EventVersionModel.resolved`). Diffing a schema with itself yields `[]`; the result does not
 * depend on the order of keys in either schema.
 *
 * @example
 * ```ts
 * const changes = diffSchemas(v1.resolved, v2.resolved, { raw: { older: v1.schema, newer: v2.schema } });
 * changes.filter((change) => change.backward === "breaking");
 * ```
 */
export function diffSchemas(older: JsonSchemaObject, newer: JsonSchemaObject, options: DiffOptions = {}): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const context: DiffContext = {
    changes,
    diffNode: (a, b, location) => diffNode(context, a, b, location),
  };
  if (options.raw !== undefined) diffRefTargets(context, options.raw.older, options.raw.newer);
  diffNode(context, older, newer, { pointer: "", label: "", conditional: false });
  return changes;
}
