/**
 * What a hand-written upcaster must look like, without the TypeScript compiler: `strata check`
 * needs these names on every run, the compiler only when a file changed.
 */
import { eventNames } from "../emit/naming.js";
import type { HandWrittenUpcasterStep } from "../model/upcaster-plan.js";

/** The text every unfilled scaffold throws; `inspectHandWrittenUpcaster` looks for it. */
export const UNFILLED_UPCASTER_MARKER = "strata:unfilled-upcaster";

/** What a hand-written upcaster must look like: its export and the types of its signature. */
export interface ExpectedUpcaster {
  readonly exportName: string;
  /** `MoneyDepositedV2`. */
  readonly fromType: string;
  /** `MoneyDepositedV3`. */
  readonly toType: string;
  /** The module the types come from, as imported by the file: `../generated/money-deposited.types.gen.js`. */
  readonly typesModule: string;
}

/** The expected signature of `step`, whose file lives at `src/<step.file>` of the events package. */
export function expectedUpcaster(step: HandWrittenUpcasterStep): ExpectedUpcaster {
  const names = eventNames(step.type);
  const depth = step.file.split("/").length - 1;
  return {
    exportName: step.exportName,
    fromType: names.dataType(step.from),
    toType: names.dataType(step.to),
    typesModule: `${depth === 0 ? "./" : "../".repeat(depth)}generated/${names.typesFile.replace(/\.ts$/, ".js")}`,
  };
}

