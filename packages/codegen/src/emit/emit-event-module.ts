/**
 * Emits `<event>.gen.ts`: per version a zod validator, the personal-data field map and — when the
 * version has personal data — a read-side validator that also admits the erased marker at those
 * fields; the event class at the latest version; the read-side event shape (`<Event>Read`); the
 * upcaster-chain wiring; and the `EventTypeSpec` the registry hands to the runtime.
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
import type { EventNames } from "./naming.js";
import { ERASED_MARKER_SCHEMA, readSchema } from "./read-schema.js";
import { VALIDATION_HELPERS_FILE } from "./emit-validation-helpers.js";
import type { PrintedZod } from "./zod/emit-zod.js";
import { inDeclarationOrder } from "./zod/runtime-helpers.js";
import type { HelperName } from "./zod/runtime-helpers.js";

/**
 * Prints a zod 4 expression (using the `z` namespace import) that validates what `schema` does:
 * either self-contained text, or the expression with the runtime helpers it calls, which the
 * module imports from the package's one helpers module.
 */
export type ZodPrinter = (schema: JsonSchemaObject) => string | PrintedZod;

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
      namedImports: ["EventShape", "EventTypeSpec", "PiiFieldSpec", "UpcasterStep"],
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

/** `type MoneyDepositedRead = EventShape<"MoneyDeposited", MoneyDepositedV3Read>`: what handlers receive from the store. */
function readEventStatement(event: EventTypeModel, names: EventNames, latest: number): StatementStructures {
  return {
    kind: StructureKind.TypeAlias,
    name: names.readEvent,
    isExported: true,
    docs: [
      `${event.name} as handlers read it from the store: upcast to v${latest}, with every personal-data field \`T | Erased\` ` +
        `(an erased data subject's fields read back as the erased marker; check them with \`isErased\`).`,
    ],
    type: `EventShape<${JSON.stringify(event.name)}, ${names.readDataType(latest)}>`,
  };
}

/** An event module, and the runtime helpers it imports from the package's helpers module. */
export interface EmittedEventModule extends EmittedModule {
  readonly helpers: readonly HelperName[];
}

/** Emits the event module of `input.event`. */
export function emitEventModule(project: EmitProject, input: EventModuleInput): EmittedEventModule {
  const { event, sourceOf } = input;
  const names = eventNames(event.name);
  const latestModel = event.versions.at(-1);
  if (latestModel === undefined) throw new Error(`Event type ${event.context}/${event.name} has no versions`);
  const latest = latestModel.version;
  const verbatim = new VerbatimTable();
  const wiring = emitting(`${event.context}/${event.name}`, "the upcaster chain", () => upcasterWiring(event, names, input.upcasters, verbatim));
  const description = typeof latestModel.schema["description"] === "string" ? latestModel.schema["description"] : undefined;

  const statements: StatementStructures[] = [];
  const helpers = new Set<HelperName>();
  const validator = (source: string, what: string, schema: JsonSchemaObject): string => {
    const printed = emitting(source, what, () => input.printZod(schema));
    if (typeof printed === "string") return reindentPrinted(printed);
    printed.helpers.forEach((name) => helpers.add(name));
    return reindentPrinted(printed.expression);
  };
  for (const version of event.versions) {
    const source = sourceOf(version.file);
    statements.push(
      constStatement(
        verbatim,
        names.validator(version.version),
        validator(source, "the zod validator", version.resolved),
        `Validates ${event.name} v${version.version} data (\`${source}\`).`),
      constStatement(
        verbatim,
        names.pii(version.version),
        `${piiLiteral(version.pii)} as const satisfies readonly PiiFieldSpec[]`,
        `Personal-data fields of ${event.name} v${version.version}: JSON Pointers into the data, each with the pointer of its data subject's id.`,
      ),
    );
    if (version.pii.length > 0) {
      statements.push(
        constStatement(
          verbatim,
          names.readValidator(version.version),
          validator(source, "the read-side zod validator", readSchema(version.resolved, version.pii, ERASED_MARKER_SCHEMA)),
          `Validates ${event.name} v${version.version} data as read: like \`${names.validator(version.version)}\`, but each personal-data field may also be the erased marker \`{"$erased": true}\`.`,
        ),
      );
    }
  }
  statements.push(
    envelopeSchemaStatement(event, names, latest),
    eventClassStructure(event, names, latest, description),
    readEventStatement(event, names, latest),
    wiring.statement,
  );
  const versionEntries = event.versions.map((version) => {
    const v = version.version;
    const readValidator = version.pii.length > 0 ? names.readValidator(v) : names.validator(v);
    return `    ${v}: { version: ${v}, validator: ${names.validator(v)}, readValidator: ${readValidator}, pii: ${names.pii(v)} },\n`;
  });
  statements.push(
    constStatement(
      verbatim,
      names.spec,
      `{\n  type: ${JSON.stringify(event.name)},\n  latestVersion: ${latest},\n  versions: {\n${versionEntries.join("")}  },\n  upcasters: ${names.upcasters},\n}`,
      `Everything the runtime knows about ${event.name}: validators (as written and as read) and personal-data fields of v1…v${latest}, and the upcasters between them.`,
      `EventTypeSpec<${JSON.stringify(event.name)}>`,
    ),
  );

  const header = generatedHeader(event.versions.map((version) => sourceOf(version.file)));
  const used = inDeclarationOrder(helpers);
  const imports: ImportDeclarationStructure[] = [
      ...runtimeImports(wiring.usesApplyOperations),
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: "zod", namedImports: ["z"] },
      // Declared once per package (emit-validation-helpers.ts), not once per validator.
      ...(used.length === 0 ? [] : [{ kind: StructureKind.ImportDeclaration, moduleSpecifier: moduleSpecifier(VALIDATION_HELPERS_FILE), namedImports: used } as const]),
      ...wiring.imports,
      {
        kind: StructureKind.ImportDeclaration,
        moduleSpecifier: moduleSpecifier(names.typesFile),
        isTypeOnly: true,
        namedImports: [...usedDataTypes(latest, input.upcasters).map((version) => names.dataType(version)), names.readDataType(latest)],
      },
  ];
  const content = printSourceFile(project, names.moduleFile, header, [...imports, ...spaced(statements)], { verbatim });
  return { fileName: names.moduleFile, content, helpers: used };
}
