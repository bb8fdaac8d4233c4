/**
 * `@strata/codegen`: turns a catalog of versioned JSON Schemas into typed event packages.
 *
 * @packageDocumentation
 */
export { COMPATIBILITY_MODES } from "./model/catalog-model.js";
export type {
  CatalogModel,
  CompatibilityMode,
  ContextConfig,
  ContextModel,
  EventTypeModel,
  EventVersionModel,
  JsonSchema,
  JsonSchemaObject,
  JsonValue,
  PiiField,
} from "./model/catalog-model.js";
