/**
 * Emits `index.gen.ts` of a context: named re-exports of every generated declaration, the union
 * of the latest event classes (`BankingEvent`, what is appended), the union of the read-side
 * event shapes (`BankingReadEvent`, what handlers receive: personal data may be `Erased`) and
 * the registry object the runtime consumes (`bankingRegistry`), typed with both unions.
 */
import { StructureKind, VariableDeclarationKind } from "ts-morph";
import type { ExportDeclarationStructure, ImportDeclarationStructure } from "ts-morph";

import type { ContextModel } from "../model/catalog-model.js";
import { printSourceFile, spaced, VerbatimTable } from "./emit-project.js";
import type { EmitProject } from "./emit-project.js";
import { propertyKey } from "./literal.js";
import type { EmittedModule } from "./emit-types-file.js";
import { generatedHeader } from "./header.js";
import { contextNames, eventNames, moduleSpecifier } from "./naming.js";

/** The file name of a context's generated index, inside `src/generated/`. */
export const INDEX_MODULE_FILE = "index.gen.ts";

/** Emits the index of `context`. `catalogDir` is the repo-relative catalog folder (`schemas`). */
export function emitIndexModule(project: EmitProject, context: ContextModel, catalogDir: string): EmittedModule {
  const { union, readUnion, registry } = contextNames(context.name);
  const imports: ImportDeclarationStructure[] = [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "@strata/runtime", namedImports: ["defineRegistry"] },
  ];
  const exports: ExportDeclarationStructure[] = [];
  for (const event of context.events) {
    const names = eventNames(event.name);
    const versions = event.versions.map((version) => version.version);
    const moduleFile = moduleSpecifier(names.moduleFile);
    imports.push(
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: moduleFile, isTypeOnly: true, namedImports: [names.className, names.readEvent] },
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: moduleFile, namedImports: [names.spec] },
    );
    exports.push(
      {
        kind: StructureKind.ExportDeclaration,
        moduleSpecifier: moduleFile,
        namedExports: [
          names.className,
          names.spec,
          names.upcasters,
          ...event.versions.flatMap((version) => [
            names.validator(version.version),
            ...(version.pii.length > 0 ? [names.readValidator(version.version)] : []),
            names.pii(version.version),
          ]),
        ],
      },
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: moduleFile, isTypeOnly: true, namedExports: [names.readEvent] },
      {
        kind: StructureKind.ExportDeclaration,
        moduleSpecifier: moduleSpecifier(names.typesFile),
        isTypeOnly: true,
        namedExports: versions.flatMap((version) => [names.dataType(version), names.readDataType(version)]),
      },
    );
  }
  const classes = context.events.map((event) => eventNames(event.name).className);
  const readEvents = context.events.map((event) => eventNames(event.name).readEvent);
  const specs = context.events.map((event) => `${propertyKey(event.name)}: ${eventNames(event.name).spec}`);

  const verbatim = new VerbatimTable();
  const header = generatedHeader(`${catalogDir}/${context.name}/*/v*.json`);
  const content = printSourceFile(project, INDEX_MODULE_FILE, header, [
    ...imports,
    (writer) => writer.blankLine(),
    ...exports,
    ...spaced([
    {
      kind: StructureKind.TypeAlias,
      name: union,
      isExported: true,
      docs: [`Every ${context.name} event at its latest version, as written (appended); narrow it with a \`switch\` on \`type\`.`],
      type: classes.length === 0 ? "never" : classes.join(" | "),
    },
    {
      kind: StructureKind.TypeAlias,
      name: readUnion,
      isExported: true,
      docs: [
        `Every ${context.name} event as handlers read it from the store: the latest version, personal-data fields \`T | Erased\`. Narrow it with a \`switch\` on \`type\`.`,
      ],
      type: readEvents.length === 0 ? "never" : readEvents.join(" | "),
    },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: [`The ${context.name} registry: hand it to the runtime's event store. It lists every event type with its versions, validators, personal-data fields and upcasters.`],
      declarations: [
        {
          name: registry,
          initializer: verbatim.put(
            `defineRegistry<${union}, ${readUnion}>({\n  context: ${JSON.stringify(context.name)},\n  events: {\n${specs.map((spec) => `    ${spec},\n`).join("")}  },\n})`,
          ),
        },
      ],
    },
    ]),
  ], { verbatim });
  return { fileName: INDEX_MODULE_FILE, content };
}
