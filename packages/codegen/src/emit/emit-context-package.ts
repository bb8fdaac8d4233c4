/**
 * Emits every file of one context's events package, in memory. Nothing here touches the disk;
 * the write stage decides what changes.
 */
import type { ContextModel, EventTypeModel } from "../model/catalog-model.js";
import type { HandWrittenUpcasterStep, UpcasterStepPlan } from "../model/upcaster-plan.js";
import { emitting } from "./emit-error.js";
import { emitEventModule } from "./emit-event-module.js";
import type { ZodPrinter } from "./emit-event-module.js";
import { emitIndexModule } from "./emit-index-module.js";
import type { EmitProject } from "./emit-project.js";
import { packageScaffold } from "./emit-package-scaffold.js";
import type { DependencyRanges } from "./emit-package-scaffold.js";
import { emitTypesFile } from "./emit-types-file.js";
import { emitValidationHelpersModule } from "./emit-validation-helpers.js";
import type { HelperName } from "./zod/runtime-helpers.js";
import { GENERATED_DIR } from "./package-file.js";
import type { PackageFile, PackageOutput } from "./package-file.js";

/** The collaborators and settings of the emit stage. */
export interface EmitOptions {
  readonly project: EmitProject;
  readonly printZod: ZodPrinter;
  readonly planUpcasters: (event: EventTypeModel) => readonly UpcasterStepPlan[];
  /** The first content of a hand-written upcaster file; called only when the file is missing. */
  readonly scaffoldUpcaster: (event: EventTypeModel, step: HandWrittenUpcasterStep) => string;
  /** Repo-relative catalog folder with `/` separators, e.g. `schemas`. */
  readonly catalogDir: string;
  readonly ranges: DependencyRanges;
  /** Called after each event type is emitted. */
  readonly onEvent?: (event: EventTypeModel) => void;
}

/** Emits the events package of `context`. */
export async function emitContextPackage(context: ContextModel, options: EmitOptions): Promise<PackageOutput> {
  const { project } = options;
  const sourceOf = (catalogFile: string): string => `${options.catalogDir}/${catalogFile}`;
  const files: PackageFile[] = [...packageScaffold(context, options.ranges)];
  const handWritten: HandWrittenUpcasterStep[] = [];
  const helpers = new Set<HelperName>();
  for (const event of context.events) {
    const plan = emitting(`${event.context}/${event.name}`, "the upcaster plan", () => options.planUpcasters(event));
    const types = await emitTypesFile(project, event, sourceOf);
    const module = emitEventModule(project, { event, upcasters: plan, printZod: options.printZod, sourceOf });
    module.helpers.forEach((name) => helpers.add(name));
    files.push(
      { kind: "generated", path: `${GENERATED_DIR}/${types.fileName}`, content: types.content },
      { kind: "generated", path: `${GENERATED_DIR}/${module.fileName}`, content: module.content },
    );
    for (const step of plan) {
      if (step.kind === "hand-written") {
        handWritten.push(step);
        files.push({ kind: "create-once", path: `src/${step.file}`, content: () => options.scaffoldUpcaster(event, step) });
      }
    }
    options.onEvent?.(event);
  }
  if (helpers.size > 0) {
    const shared = emitValidationHelpersModule(project, helpers, `${options.catalogDir}/${context.name}/*/v*.json`);
    files.push({ kind: "generated", path: `${GENERATED_DIR}/${shared.fileName}`, content: shared.content });
  }
  const index = emitIndexModule(project, context, options.catalogDir);
  files.push({ kind: "generated", path: `${GENERATED_DIR}/${index.fileName}`, content: index.content });
  return { context: context.name, directory: context.config.directory.replace(/\\/g, "/").replace(/\/+$/, ""), files, handWritten };
}
