/**
 * Test support: an `EventTypeModel` built in memory from version schemas (the loader's
 * contract), so diff, plan and check tests do not need files on disk.
 */
import type { EventTypeModel, JsonSchemaObject } from "../../model/catalog-model.js";

/** One version: its schema as written and, when it uses `$ref`, the resolved form. */
export type FixtureSchema = JsonSchemaObject | { readonly schema: JsonSchemaObject; readonly resolved: JsonSchemaObject };

/** An event type `context/name` whose versions are `schemas` in order (v1 first). */
export function eventFixture(name: string, schemas: readonly FixtureSchema[], options: { readonly context?: string; readonly released?: readonly number[] } = {}): EventTypeModel {
  const context = options.context ?? "shop";
  return {
    context,
    name,
    versions: schemas.map((entry, index) => {
      const pair = "resolved" in entry && "schema" in entry ? (entry as { schema: JsonSchemaObject; resolved: JsonSchemaObject }) : { schema: entry as JsonSchemaObject, resolved: entry as JsonSchemaObject };
      return {
        version: index + 1,
        file: `${context}/${name}/v${index + 1}.json`,
        schema: pair.schema,
        resolved: pair.resolved,
        hash: `sha256-fixture-${index + 1}`,
        released: options.released?.includes(index + 1) ?? false,
        pii: [],
      };
    }),
  };
}

/** A closed object schema with the given properties and required names. */
export function closedObject(properties: Record<string, JsonSchemaObject>, required: readonly string[] = Object.keys(properties)): JsonSchemaObject {
  return { type: "object", properties, required: [...required], additionalProperties: false };
}
