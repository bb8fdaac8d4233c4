/**
 * The event class of one event type at its latest version, as a ts-morph structure.
 *
 * Construction validates with the latest version's zod schema and throws the runtime's
 * `EventValidationError`, listing every issue with its path inside the data (path, message and
 * code only: no data value reaches the error). `parse` accepts the serialised form of an
 * instance — `{ type, schemaVersion?, data }`, which is what `JSON.stringify(event)` gives — and
 * rejects any other type or version the same way, with paths starting at the envelope.
 */
import { StructureKind, VariableDeclarationKind } from "ts-morph";
import type { ClassDeclarationStructure, VariableStatementStructure } from "ts-morph";

import type { EventTypeModel } from "../model/catalog-model.js";
import type { EventNames } from "./naming.js";

/** Zod issues reduced to what `EventValidationError` reports: never the offending value. */
const ISSUES = "result.error.issues.map(({ path, message, code }) => ({ path, message, code }))";

/** The module-private schema of the serialised envelope `parse` accepts. */
export function envelopeSchemaStatement(event: EventTypeModel, names: EventNames, latest: number): VariableStatementStructure {
  return {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [
      {
        name: names.envelope,
        initializer: `z.object({ type: z.literal(${JSON.stringify(event.name)}), schemaVersion: z.literal(${latest}).optional(), data: ${names.validator(latest)} })`,
      },
    ],
  };
}

/** The class `MoneyDeposited` with static and instance `type`/`schemaVersion` literals. */
export function eventClassStructure(event: EventTypeModel, names: EventNames, latest: number, description: string | undefined): ClassDeclarationStructure {
  const typeLiteral = JSON.stringify(event.name);
  const dataType = names.dataType(latest);
  const summary = description === undefined ? `${event.name} at its latest version, v${latest}.` : `${description}\n\n${event.name} at its latest version, v${latest}.`;
  return {
    kind: StructureKind.Class,
    name: names.className,
    isExported: true,
    docs: [
      `${summary}\nInstances are validated on construction and satisfy the runtime's \`EventShape\` (\`{ type, data }\`).`,
    ],
    properties: [
      { name: "type", isStatic: true, isReadonly: true, initializer: `${typeLiteral} as const`, docs: ["The event type name."] },
      { name: "schemaVersion", isStatic: true, isReadonly: true, initializer: `${latest} as const`, docs: ["The latest schema version; instances always carry it."] },
      { name: "type", isReadonly: true, initializer: `${typeLiteral} as const` },
      { name: "schemaVersion", isReadonly: true, initializer: `${latest} as const` },
      { name: "data", isReadonly: true, type: dataType },
    ],
    ctors: [
      {
        docs: [
          `Validates \`data\` against ${event.name} v${latest}.\n\n@throws EventValidationError listing every issue with its path inside the data.`,
        ],
        parameters: [{ name: "data", type: dataType }],
        statements: [
          `const result = ${names.validator(latest)}.safeParse(data);`,
          `if (!result.success) throw new EventValidationError({ type: ${typeLiteral}, issues: ${ISSUES} });`,
          `this.data = result.data as ${dataType};`,
        ],
      },
    ],
    methods: [
      {
        name: "parse",
        isStatic: true,
        docs: [
          `Parses unknown input of the form \`{ type: ${typeLiteral}, schemaVersion?: ${latest}, data }\` — the form \`JSON.stringify\` gives an instance.\n\n@throws EventValidationError listing every issue with its path when the envelope or the data is invalid.`,
        ],
        parameters: [{ name: "input", type: "unknown" }],
        returnType: names.className,
        statements: [
          `const result = ${names.envelope}.safeParse(input);`,
          `if (!result.success) throw new EventValidationError({ type: ${typeLiteral}, issues: ${ISSUES} });`,
          `return new ${names.className}(result.data.data as ${dataType});`,
        ],
      },
    ],
  };
}
