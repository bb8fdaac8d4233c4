/**
 * The state one diff run threads through its helpers: where it is, and the list it appends to.
 * `diffNode` is passed in so the keyword helpers can recurse without importing the dispatcher
 * (which imports them).
 */
import type { UpcastOperation } from "@strata/runtime";

import type { JsonSchema } from "../model/catalog-model.js";
import type { ChangeKind, SchemaChange, Verdict } from "./schema-change.js";

/** Where a node sits: its data pointer, and a label for schema-only positions (`anyOf[1]`). */
export interface DiffLocation {
  readonly pointer: string;
  /** Prefix for details of nodes that are not a data position of their own, e.g. `anyOf[1]: `. */
  readonly label: string;
  /**
   * True below `anyOf`/`oneOf`/`allOf`, `additionalProperties` and `contains`: which data such a
   * subschema governs depends on the instance, so its changes cannot be bridged by operations on
   * fixed paths.
   */
  readonly conditional: boolean;
}

/** The location of a data position below `parent`. */
export function at(parent: DiffLocation, pointer: string): DiffLocation {
  return { pointer, label: "", conditional: parent.conditional };
}

/** A schema-only position of `parent` (a branch, `additionalProperties`, `contains`). */
export function within(parent: DiffLocation, label: string): DiffLocation {
  return { pointer: parent.pointer, label: `${parent.label}${label}: `, conditional: true };
}

export interface DiffContext {
  readonly changes: SchemaChange[];
  /** Compares two subschemas at `location`, appending to `changes`. */
  readonly diffNode: (older: JsonSchema | undefined, newer: JsonSchema | undefined, location: DiffLocation) => void;
}

/** Appends one change. */
export function report(
  context: DiffContext,
  location: DiffLocation,
  kind: ChangeKind,
  detail: string,
  verdicts: { readonly backward: Verdict; readonly forward: Verdict },
  derivable: readonly UpcastOperation[] | null,
): void {
  context.changes.push({
    kind,
    pointer: location.pointer,
    detail: `${location.label}${detail}`,
    backward: verdicts.backward,
    forward: verdicts.forward,
    derivable: derivable !== null && derivable.length > 0 && location.conditional ? null : derivable,
  });
}

/** Accepts more than before: old data stays valid, new data may not be readable by the old schema. */
export const WIDENING = { backward: "compatible", forward: "breaking" } as const;
/** Accepts less than before: old data may be invalid now, new data is valid under the old schema. */
export const NARROWING = { backward: "breaking", forward: "compatible" } as const;
/** Neither a subset nor a superset. */
export const BOTH_BREAKING = { backward: "breaking", forward: "breaking" } as const;
export const NEUTRAL = { backward: "compatible", forward: "compatible" } as const;

/** A narrowing cannot be bridged mechanically; a widening needs nothing. */
export function derivableFor(verdicts: { readonly backward: Verdict }): readonly UpcastOperation[] | null {
  return verdicts.backward === "compatible" ? [] : null;
}

/** Shortcut for the common case: the derivable ops follow from the backward verdict. */
export function reportSimple(
  context: DiffContext,
  location: DiffLocation,
  kind: ChangeKind,
  detail: string,
  verdicts: { readonly backward: Verdict; readonly forward: Verdict },
): void {
  report(context, location, kind, detail, verdicts, derivableFor(verdicts));
}
