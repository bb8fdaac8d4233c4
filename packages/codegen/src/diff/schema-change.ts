/**
 * The vocabulary of the diff engine: every kind of change between two versions of an event
 * schema, and how each one is judged for BACKWARD (new reader, old data) and FORWARD (old reader,
 * new data) compatibility. docs/schema-evolution.md has the table.
 */
import type { UpcastOperation } from "@strata/runtime";

/** Every kind of change `diffSchemas` reports. */
export const CHANGE_KINDS = [
  "property-added",
  "property-removed",
  "property-renamed",
  "required-added",
  "required-removed",
  "type-widened",
  "type-narrowed",
  "enum-values-added",
  "enum-values-removed",
  "const-changed",
  "constraint-tightened",
  "constraint-loosened",
  "constraint-changed",
  "additional-properties-opened",
  "additional-properties-closed",
  "ref-target-changed",
  "branch-added",
  "branch-removed",
] as const;
/** One of {@link CHANGE_KINDS}. */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Whether a change keeps a reader working. */
export type Verdict = "compatible" | "breaking";

/** One difference between an older and a newer version of an event schema. */
export interface SchemaChange {
  readonly kind: ChangeKind;
  /**
   * JSON Pointer into the event data where the change applies (`""` is the event itself); the
   * segment `*` stands for every array item, as in upcast operations.
   */
  readonly pointer: string;
  /** What changed, for people: `minimum 1 → 5`, `enum drops "GBP"`. Never contains event data. */
  readonly detail: string;
  /** Can the newer schema read every instance of the older one? */
  readonly backward: Verdict;
  /** Can the older schema read every instance of the newer one? */
  readonly forward: Verdict;
  /**
   * The upcast operations that bridge this change mechanically (`[]` when old data needs no
   * change), or `null` when only a hand-written upcaster can bridge it.
   */
  readonly derivable: readonly UpcastOperation[] | null;
}

/** True when no change in the list breaks `direction`. */
export function isCompatible(changes: readonly SchemaChange[], direction: "backward" | "forward"): boolean {
  return changes.every((change) => change[direction] === "compatible");
}

/**
 * The operations that bridge every change of a step, in order, or `null` when at least one
 * change needs a hand-written upcaster.
 */
export function derivedOperations(changes: readonly SchemaChange[]): readonly UpcastOperation[] | null {
  const operations: UpcastOperation[] = [];
  for (const change of changes) {
    if (change.derivable === null) return null;
    operations.push(...change.derivable);
  }
  return operations;
}
