/**
 * Emits `<event>.types.gen.ts`: two TypeScript types per version, printed by
 * json-schema-to-typescript — `OrderPlacedV2`, the data as written, and `OrderPlacedV2Read`, the
 * data as read, where every personal-data field is `T | Erased` (an alias of the first when the
 * version has no personal data). The file holds types only, so hand-written upcasters can
 * `import type` from it without an import cycle through the validators.
 */
import { compile } from "json-schema-to-typescript";
import type { Options as JsonSchemaToTsOptions } from "json-schema-to-typescript";

import type { EventTypeModel } from "../model/catalog-model.js";
import { CodegenEmitError } from "./emit-error.js";
import { formatSourceText } from "./emit-project.js";
import type { EmitProject } from "./emit-project.js";
import { generatedHeader } from "./header.js";
import { eventNames } from "./naming.js";
import { ERASED_TS_SCHEMA, readSchema } from "./read-schema.js";
import { schemaForTypes } from "./types-schema.js";

/** Fixed options: no prettier (we format ourselves, and it is the slow part), no banner, `unknown` over `any`. */
const COMPILE_OPTIONS: Partial<JsonSchemaToTsOptions> = {
  bannerComment: "",
  format: false,
  unknownAny: true,
  additionalProperties: true,
  declareExternallyReferenced: true,
  ignoreMinAndMaxItems: true,
  strictIndexSignatures: false,
  unreachableDefinitions: false,
};

/** One emitted source file, relative to the events package's `src/generated/`. */
export interface EmittedModule {
  readonly fileName: string;
  readonly content: string;
}

/**
 * Prints the types of every version of `event`. `sourceOf(file)` maps a catalog-relative schema
 * file to the repo-relative path shown in headers and doc comments.
 */
export async function emitTypesFile(
  project: EmitProject,
  event: EventTypeModel,
  sourceOf: (catalogFile: string) => string,
): Promise<EmittedModule> {
  const names = eventNames(event.name);
  const declarations: string[] = [];
  const print = async (file: string, schema: Record<string, unknown>, typeName: string): Promise<string> => {
    try {
      return await compile(schema, typeName, COMPILE_OPTIONS);
    } catch (error) {
      throw new CodegenEmitError(sourceOf(file), `the TypeScript type ${typeName}`, { cause: error });
    }
  };
  for (const version of event.versions) {
    const typeName = names.dataType(version.version);
    const readName = names.readDataType(version.version);
    const schema = schemaForTypes(version.resolved, typeName);
    const origin = `${event.name} v${version.version} data, from \`${sourceOf(version.file)}\`.`;
    const described = (text: string): string => (typeof schema["description"] === "string" ? `${schema["description"]}\n\n${text}` : text);
    declarations.push(await print(version.file, { ...schema, description: described(`${origin}\nAs written: what the event class and \`append\` take.`) }, typeName));
    if (version.pii.length === 0) {
      declarations.push(`/** ${event.name} v${version.version} data as read. It has no personal data, so it is the data as written. */\nexport type ${readName} = ${typeName};`);
    } else {
      const read = schemaForTypes(readSchema(version.resolved, version.pii, ERASED_TS_SCHEMA), readName);
      // `*/` in `/parties/*/email` would close the doc comment.
      const fields = version.pii.map((field) => `\`${field.path.replace(/\*\//g, "*\\/")}\``).join(", ");
      const note = `${origin}\nAs read: the personal-data fields (${fields}) are \`Erased\` once their data subject is erased; check them with \`isErased\`.`;
      declarations.push(await print(version.file, { ...read, description: described(note) }, readName));
    }
  }
  const header = generatedHeader(event.versions.map((version) => sourceOf(version.file)));
  const imports = event.versions.some((version) => version.pii.length > 0) ? ['import type { Erased } from "@strata/runtime";'] : [];
  const content = formatSourceText(project, header, [...imports, ...declarations.map((text) => text.trim())].join("\n\n"));
  return { fileName: names.typesFile, content };
}
