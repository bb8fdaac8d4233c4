/**
 * `anyOf`, `oneOf`, `allOf` (what normalisation could not merge) and `not`. Branches are paired
 * first by equality, then by position; unpaired branches are added or removed. An added
 * `anyOf`/`oneOf` branch accepts more (a widening); an added `allOf` branch accepts less.
 */
import type { JsonSchema, JsonSchemaObject } from "../model/catalog-model.js";
import { canonicalJson, jsonEqual } from "./canonical-json.js";
import type { DiffContext, DiffLocation } from "./diff-context.js";
import { BOTH_BREAKING, NARROWING, WIDENING, reportSimple, within } from "./diff-context.js";
import { asSchema, normalizeSchema } from "./normalize-schema.js";

function branchesOf(schema: JsonSchemaObject, keyword: string): readonly JsonSchema[] | undefined {
  const value = schema[keyword];
  return Array.isArray(value) ? value.map((branch) => asSchema(branch) ?? true) : undefined;
}

function key(branch: JsonSchema): string {
  return canonicalJson(normalizeSchema(branch));
}

function diffBranchList(context: DiffContext, keyword: "anyOf" | "oneOf" | "allOf", older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  const before = branchesOf(older, keyword);
  const after = branchesOf(newer, keyword);
  const conjunctive = keyword === "allOf";
  if (before === undefined && after === undefined) return;
  if (before === undefined || after === undefined) {
    // Gaining `anyOf`/`oneOf`/`allOf` restricts the node; losing it frees it.
    const gained = before === undefined;
    reportSimple(context, location, gained ? "constraint-tightened" : "constraint-loosened", `${keyword} ${gained ? "added" : "removed"}`, gained ? NARROWING : WIDENING);
    return;
  }
  const unmatchedBefore = before.map((branch, index) => ({ branch, index, key: key(branch) }));
  const unmatchedAfter: { branch: JsonSchema; index: number; key: string }[] = [];
  for (const [index, branch] of after.entries()) {
    const found = unmatchedBefore.findIndex((candidate) => candidate.key === key(branch));
    if (found >= 0) unmatchedBefore.splice(found, 1);
    else unmatchedAfter.push({ branch, index, key: key(branch) });
  }
  const paired = Math.min(unmatchedBefore.length, unmatchedAfter.length);
  for (let i = 0; i < paired; i += 1) {
    const old = unmatchedBefore[i];
    const next = unmatchedAfter[i];
    if (old === undefined || next === undefined) continue;
    context.diffNode(old.branch, next.branch, within(location, `${keyword}[${next.index}]`));
  }
  for (const added of unmatchedAfter.slice(paired)) {
    reportSimple(context, location, "branch-added", `${keyword}[${added.index}] added`, conjunctive ? NARROWING : WIDENING);
  }
  for (const removed of unmatchedBefore.slice(paired)) {
    reportSimple(context, location, "branch-removed", `${keyword}[${removed.index}] removed`, conjunctive ? WIDENING : NARROWING);
  }
}

function diffNot(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  const before = older["not"];
  const after = newer["not"];
  if (jsonEqual(before ?? null, after ?? null)) return;
  if (before === undefined) reportSimple(context, location, "constraint-tightened", "not added", NARROWING);
  else if (after === undefined) reportSimple(context, location, "constraint-loosened", "not removed", WIDENING);
  else reportSimple(context, location, "constraint-changed", "not changed", BOTH_BREAKING);
}

/** Reports branch changes of one node. */
export function diffBranches(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  diffBranchList(context, "anyOf", older, newer, location);
  diffBranchList(context, "oneOf", older, newer, location);
  diffBranchList(context, "allOf", older, newer, location);
  diffNot(context, older, newer, location);
}
