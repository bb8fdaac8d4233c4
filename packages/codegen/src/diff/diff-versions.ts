/**
 * The diff of two versions of one event type, as the loader models them.
 */
import type { EventVersionModel } from "../model/catalog-model.js";
import { diffSchemas } from "./diff-schemas.js";
import type { SchemaChange } from "./schema-change.js";

/** Every change from `older` to `newer`, including `$ref` target changes. */
export function diffVersions(older: EventVersionModel, newer: EventVersionModel): SchemaChange[] {
  return diffSchemas(older.resolved, newer.resolved, { raw: { older: older.schema, newer: newer.schema } });
}
