/**
 * The upcaster-chain wiring of one event type: `<event>Upcasters`, the runtime's `UpcasterStep`s
 * in order. Derived steps carry their operations as literal data for the runtime's
 * `applyUpcastOperations`; hand-written steps call the function exported from `src/upcasters/`.
 */
import { StructureKind, VariableDeclarationKind } from "ts-morph";
import type { ImportDeclarationStructure, VariableStatementStructure } from "ts-morph";

import type { EventTypeModel } from "../model/catalog-model.js";
import type { UpcasterStepPlan } from "../model/upcaster-plan.js";
import { printLiteral } from "./literal.js";
import { moduleSpecifier } from "./naming.js";
import type { EventNames } from "./naming.js";
import type { VerbatimTable } from "./emit-project.js";

/** What the event module must import and declare for its upcaster chain. */
export interface UpcasterWiring {
  readonly usesApplyOperations: boolean;
  /** Value imports of hand-written upcaster functions, relative to `src/generated/`. */
  readonly imports: readonly ImportDeclarationStructure[];
  readonly statement: VariableStatementStructure;
}

function stepInitializer(step: UpcasterStepPlan, names: EventNames): string {
  const head = `type: ${JSON.stringify(step.type)}, from: ${step.from}, to: ${step.to}`;
  switch (step.kind) {
    case "derived":
      return `{ ${head}, upcast: (data) => applyUpcastOperations(data, ${printLiteral(step.operations)}) }`;
    case "hand-written":
      return `{ ${head}, upcast: (data, context): ${names.dataType(step.to)} => ${step.exportName}(data as ${names.dataType(step.from)}, context) }`;
  }
}

/** Checks the plan covers 1→2, …, (latest-1)→latest exactly once, in order. */
function assertCompleteChain(event: EventTypeModel, plan: readonly UpcasterStepPlan[]): void {
  const latest = event.versions.length;
  const problems: string[] = [];
  if (plan.length !== latest - 1) problems.push(`expected ${latest - 1} steps, got ${plan.length}`);
  plan.forEach((step, index) => {
    if (step.type !== event.name || step.from !== index + 1 || step.to !== index + 2) {
      problems.push(`step ${index + 1} is ${step.type} v${step.from}→v${step.to}, expected ${event.name} v${index + 1}→v${index + 2}`);
    }
  });
  if (problems.length > 0) {
    throw new Error(`Upcaster plan for ${event.context}/${event.name} is not a chain v1→v${latest}: ${problems.join("; ")}`);
  }
}

/**
 * Builds the wiring for `plan` (steps of `event`, in order). With `verbatim`, the array is
 * placed through it (see `VerbatimTable`); without, the initializer is plain text for callers
 * that format the file themselves.
 */
export function upcasterWiring(event: EventTypeModel, names: EventNames, plan: readonly UpcasterStepPlan[], verbatim?: VerbatimTable): UpcasterWiring {
  assertCompleteChain(event, plan);
  const imports: ImportDeclarationStructure[] = [];
  for (const step of plan) {
    if (step.kind !== "hand-written") continue;
    imports.push({
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: moduleSpecifier(`../${step.file}`),
      namedImports: [step.exportName],
    });
  }
  const steps = plan.map((step) => stepInitializer(step, names));
  const array = steps.length === 0 ? "[]" : `[\n${steps.map((step) => `  ${step},\n`).join("")}]`;
  const kinds = plan.map((step) => `v${step.from}→v${step.to} ${step.kind}`).join(", ");
  return {
    usesApplyOperations: plan.some((step) => step.kind === "derived"),
    imports,
    statement: {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: [
        plan.length === 0
          ? `Upcasting steps of ${event.name}: none, it has a single version.`
          : `Upcasting steps of ${event.name}, in order (${kinds}). The runtime applies them on read.`,
      ],
      declarations: [
        {
          name: names.upcasters,
          type: "readonly UpcasterStep[]",
          initializer: verbatim === undefined ? array : verbatim.put(array),
        },
      ],
    },
  };
}
