/**
 * Emits `<event>.types.gen.ts`: one TypeScript type per version, printed by
 * json-schema-to-typescript. The file holds types only, so hand-written upcasters can
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
  for (const version of event.versions) {
    const typeName = names.dataType(version.version);
    const schema = schemaForTypes(version.resolved, typeName);
    const origin = `${event.name} v${version.version} data, from \`${sourceOf(version.file)}\`.`;
    const description = typeof schema["description"] === "string" ? `${schema["description"]}\n\n${origin}` : origin;
    try {
      declarations.push(await compile({ ...schema, description }, typeName, COMPILE_OPTIONS));
    } catch (error) {
      throw new CodegenEmitError(sourceOf(version.file), `the TypeScript type ${typeName}`, { cause: error });
    }
  }
  const header = generatedHeader(event.versions.map((version) => sourceOf(version.file)));
  const content = formatSourceText(project, header, declarations.map((text) => text.trim()).join("\n\n"));
  return { fileName: names.typesFile, content };
}
