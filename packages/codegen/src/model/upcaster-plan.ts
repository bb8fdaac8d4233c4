/**
 * How one upcasting step vN → vN+1 of an event type is provided: derived by codegen from the
 * schema diff, or hand-written in the events package (scaffolded by codegen, never overwritten).
 */
import type { UpcastOperation } from "@strata/runtime";

export interface DerivedUpcasterStep {
  readonly kind: "derived";
  readonly type: string;
  readonly from: number;
  readonly to: number;
  /** Applied in order by the runtime's `applyUpcastOperations`; empty when the step needs no change (a widening). */
  readonly operations: readonly UpcastOperation[];
}

export interface HandWrittenUpcasterStep {
  readonly kind: "hand-written";
  readonly type: string;
  readonly from: number;
  readonly to: number;
  /** Module path relative to the events package's `src/`, e.g. `upcasters/money-deposited.v2-to-v3.ts`. */
  readonly file: string;
  /** The exported function, e.g. `upcastMoneyDepositedV2ToV3`: `(data: V2, context: UpcastContext) => V3`. */
  readonly exportName: string;
}

export type UpcasterStepPlan = DerivedUpcasterStep | HandWrittenUpcasterStep;
