/**
 * Test support: builds `CatalogModel` values in memory (the loader's contract) and writes the
 * matching schema files, so pipeline tests do not depend on the loader's internals.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import type { CatalogModel, ContextModel, EventTypeModel, JsonSchemaObject, PiiField } from "../../model/catalog-model.js";

/** One version of a fixture event: its (already resolved) schema and personal-data fields. */
export interface FixtureVersion {
  readonly schema: JsonSchemaObject;
  readonly pii?: readonly PiiField[];
}

export interface FixtureContext {
  readonly name: string;
  readonly directory?: string;
  readonly events: Readonly<Record<string, readonly FixtureVersion[]>>;
}

function eventModel(context: string, name: string, versions: readonly FixtureVersion[]): EventTypeModel {
  return {
    context,
    name,
    versions: versions.map((version, index) => ({
      version: index + 1,
      file: `${context}/${name}/v${index + 1}.json`,
      schema: version.schema,
      resolved: version.schema,
      hash: `sha256-fixture-${name}-${index + 1}`,
      released: false,
      pii: version.pii ?? [],
    })),
  };
}

/** A catalog model rooted at `<repoRoot>/schemas`. */
export function fixtureCatalog(repoRoot: string, contexts: readonly FixtureContext[]): CatalogModel {
  const models: ContextModel[] = contexts.map((context) => ({
    name: context.name,
    config: {
      package: `@fixture/${context.name}-events`,
      directory: context.directory ?? `packages/${context.name}-events`,
      compatibility: "BACKWARD",
    },
    events: Object.keys(context.events)
      .sort()
      .map((name) => eventModel(context.name, name, context.events[name] ?? [])),
  }));
  return { root: path.join(repoRoot, "schemas"), contexts: models };
}

/** Writes each version's schema where the loader would find it (for `--watch` tests). */
export async function writeFixtureSchemas(catalog: CatalogModel): Promise<void> {
  for (const context of catalog.contexts) {
    for (const event of context.events) {
      for (const version of event.versions) {
        const file = path.join(catalog.root, version.file);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, `${JSON.stringify(version.schema, null, 2)}\n`);
      }
    }
  }
}
