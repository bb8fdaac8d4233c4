/**
 * Emits `validation-helpers.gen.ts`: the runtime helpers the package's validators call (JSON
 * Schema rules zod has no exact built-in for, and the event store's storable-value checks),
 * declared once for the whole package and imported by each event module. Not re-exported by the
 * index: they are the validators' own code, not part of the package's API.
 */
import { formatSourceText, reindentPrinted } from "./emit-project.js";
import type { EmitProject } from "./emit-project.js";
import type { EmittedModule } from "./emit-types-file.js";
import { generatedHeader } from "./header.js";
import { printHelperDeclarations } from "./zod/emit-zod.js";
import type { HelperName } from "./zod/runtime-helpers.js";

/** The file name of a package's validation helpers, inside `src/generated/`. */
export const VALIDATION_HELPERS_FILE = "validation-helpers.gen.ts";

/**
 * Emits the helpers module declaring `names` (and what they call), each exported. `schemaFiles`
 * describes the context's schema files, for the header.
 */
export function emitValidationHelpersModule(project: EmitProject, names: Iterable<HelperName>, schemaFiles: string): EmittedModule {
  const header = generatedHeader(schemaFiles);
  const declarations = reindentPrinted(printHelperDeclarations(names, { exported: true }));
  // Only helpers that take a refinement context or a schema mention zod.
  const zod = /\bz\./.test(declarations) ? `import { z } from "zod";\n\n` : "";
  const doc = "// The checks this package's validators share: JSON Schema rules zod has no exact built-in for,\n// and what the event store can hold exactly. Not part of the package's API.\n";
  const body = `${zod}${doc}${declarations}\n`;
  return { fileName: VALIDATION_HELPERS_FILE, content: formatSourceText(project, header, body) };
}
