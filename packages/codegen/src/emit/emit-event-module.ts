/**
 * Emits `<event>.gen.ts`: per version a zod validator and the personal-data field map; the event
 * class at the latest version; the upcaster-chain wiring; and the `EventTypeSpec` the registry
 * hands to the runtime.
 */
import { StructureKind, VariableDeclarationKind } from "ts-morph";
import type { ImportDeclarationStructure, StatementStructures } from "ts-morph";

import type { EventTypeModel, JsonSchemaObject, PiiField } from "../model/catalog-model.js";
import type { UpcasterStepPlan } from "../model/upcaster-plan.js";
import { envelopeSchemaStatement, eventClassStructure } from "./emit-event-class.js";
import { emitting } from "./emit-error.js";
import { printSourceFile, reindentPrinted, spaced, VerbatimTable } from "./emit-project.js";
import type { EmitProject } from "./emit-project.js";
import type { EmittedModule } from "./emit-types-file.js";
import { upcasterWiring } from "./emit-upcaster-steps.js";
import { generatedHeader } from "./header.js";
import { printLiteral } from "./literal.js";
import { eventNames, moduleSpecifier } from "./naming.js";

/** Prints a zod 4 expression (using the `z` namespace import) that validates what `schema` does. */
export type ZodPrinter = (schema: JsonSchemaObject) => string;

/** What the event module emitter needs besides the event itself. */
export interface EventModuleInput {
  readonly event: EventTypeModel;
  readonly upcasters: readonly UpcasterStepPlan[];
  readonly printZod: ZodPrinter;
  /** Maps a catalog-relative schema file to its repo-relative path, for headers and docs. */
  readonly sourceOf: (catalogFile: string) => string;
}

function constStatement(verbatim: VerbatimTable, name: string, initializer: string, docs: string, type?: string): StatementStructures {
  return {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    docs: [docs],
    declarations: [{ name, initializer: verbatim.put(initializer), ...(type === undefined ? {} : { type }) }],
  };
}

function runtimeImports(usesApplyOperations: boolean): ImportDeclarationStructure[] {
  return [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: "@strata/runtime",
      namedImports: usesApplyOperations ? ["applyUpcastOperations", "EventValidationError"] : ["EventValidationError"],
    },
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: "@strata/runtime",
      isTypeOnly: true,
      namedImports: ["EventTypeSpec", "PiiFieldSpec", "UpcasterStep"],
    },
  ];
}

/** The personal-data map as literal data, one field per line. */
function piiLiteral(fields: readonly PiiField[]): string {
  if (fields.length === 0) return "[]";
  return `[\n${fields.map((field) => `  ${printLiteral({ path: field.path, subject: field.subject })},\n`).join("")}]`;
}

/** Versions whose data type the module mentions: the latest, and both ends of hand-written steps. */
function usedDataTypes(latest: number, plan: readonly UpcasterStepPlan[]): number[] {
  const used = new Set([latest]);
  for (const step of plan) {
    if (step.kind === "hand-written") used.add(step.from).add(step.to);
  }
  return [...used].sort((a, b) => a - b);
}

/** Emits the event module of `input.event`. */
export function emitEventModule(project: EmitProject, input: EventModuleInput): EmittedModule {
  const { event, sourceOf } = input;
  const names = eventNames(event.name);
  const latestModel = event.versions.at(-1);
  if (latestModel === undefined) throw new Error(`Event type ${event.context}/${event.name} has no versions`);
  const latest = latestModel.version;
  const verbatim = new VerbatimTable();
  const wiring = emitting(`${event.context}/${event.name}`, "the upcaster chain", () => upcasterWiring(event, names, input.upcasters, verbatim));
  const description = typeof latestModel.schema["description"] === "string" ? latestModel.schema["description"] : undefined;

  const statements: StatementStructures[] = [];
  for (const version of event.versions) {
    const source = sourceOf(version.file);
    statements.push(
      constStatement(
        verbatim,
        names.validator(version.version),
        reindentPrinted(emitting(source, "the zod validator", () => input.printZod(version.resolved))),
        `Validates ${event.name} v${version.version} data (\`${source}\`).`),
      constStatement(
        verbatim,
        names.pii(version.version),
        `${piiLiteral(version.pii)} as const satisfies readonly PiiFieldSpec[]`,
        `Personal-data fields of ${event.name} v${version.version}: JSON Pointers into the data, each with the pointer of its data subject's id.`,
      ),
    );
  }
  statements.push(envelopeSchemaStatement(event, names, latest), eventClassStructure(event, names, latest, description), wiring.statement);
  const versionEntries = event.versions.map(
    (version) => `    ${version.version}: { version: ${version.version}, validator: ${names.validator(version.version)}, pii: ${names.pii(version.version)} },\n`,
  );
  statements.push(
    constStatement(
      verbatim,
      names.spec,
      `{\n  type: ${JSON.stringify(event.name)},\n  latestVersion: ${latest},\n  versions: {\n${versionEntries.join("")}  },\n  upcasters: ${names.upcasters},\n}`,
      `Everything the runtime knows about ${event.name}: validators and personal-data fields of v1…v${latest}, and the upcasters between them.`,
      `EventTypeSpec<${JSON.stringify(event.name)}>`,
    ),
  );

  const header = generatedHeader(event.versions.map((version) => sourceOf(version.file)));
  const imports: ImportDeclarationStructure[] = [
      ...runtimeImports(wiring.usesApplyOperations),
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: "zod", namedImports: ["z"] },
      ...wiring.imports,
      {
        kind: StructureKind.ImportDeclaration,
        moduleSpecifier: moduleSpecifier(names.typesFile),
        isTypeOnly: true,
        namedImports: usedDataTypes(latest, input.upcasters).map((version) => names.dataType(version)),
      },
  ];
  const content = printSourceFile(project, names.moduleFile, header, [...imports, ...spaced(statements)], { verbatim });
  return { fileName: names.moduleFile, content };
}
