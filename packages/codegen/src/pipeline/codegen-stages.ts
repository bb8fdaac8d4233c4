/**
 * The stages a codegen run is made of, as replaceable functions. `runCodegen` wires the real
 * ones; tests and tools may pass others (a catalog built in memory, a different upcaster plan).
 */
import type { ZodPrinter } from "../emit/emit-event-module.js";
import type { CatalogModel, EventTypeModel } from "../model/catalog-model.js";
import type { HandWrittenUpcasterStep, UpcasterStepPlan } from "../model/upcaster-plan.js";

/** The replaceable stages of a codegen run (see `runCodegenWith`). */
export interface CodegenStages {
  /** load → model: reads and validates the catalog folder; throws `CatalogError` listing every problem. */
  readonly loadCatalog: (options: { readonly root: string }) => Promise<CatalogModel>;
  /** Prints the zod validator expression of one resolved version schema. */
  readonly printZod: ZodPrinter;
  /** Plans the upcasting steps v1→…→latest of one event type. */
  readonly planUpcasters: (event: EventTypeModel) => readonly UpcasterStepPlan[];
  /** Writes the first content of a hand-written upcaster's file (only when it does not exist). */
  readonly scaffoldUpcaster: (event: EventTypeModel, step: HandWrittenUpcasterStep) => string;
}
