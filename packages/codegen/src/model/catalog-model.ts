/**
 * The intermediate representation of a schema catalog: what the load stage produces and the
 * emit stage (and the diff engine) consume. Plain, immutable data; no file I/O beyond load.
 */

/** A JSON value as parsed from a schema file. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A JSON Schema (draft 2020-12) object or boolean schema. */
export type JsonSchema = boolean | JsonSchemaObject;
export interface JsonSchemaObject {
  readonly [keyword: string]: JsonValue;
}

/** Compatibility modes, with schema registries' semantics. */
export const COMPATIBILITY_MODES = [
  "NONE",
  "BACKWARD",
  "BACKWARD_TRANSITIVE",
  "FORWARD",
  "FORWARD_TRANSITIVE",
  "FULL",
  "FULL_TRANSITIVE",
] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

/** `schemas/<context>/context.json`. */
export interface ContextConfig {
  /** npm name of the generated package, e.g. `@strata/banking-events`. */
  readonly package: string;
  /** Where the package lives, relative to the repository root, e.g. `packages/banking-events`. */
  readonly directory: string;
  readonly compatibility: CompatibilityMode;
}

/** A personal-data field of one version, resolved from `x-pii` / `x-data-subject`. */
export interface PiiField {
  /** JSON Pointer into the event data; `*` stands for every array item. */
  readonly path: string;
  /** JSON Pointer of the subject-id field; a `*` binds to the same index as in `path`. */
  readonly subject: string;
}

export interface EventVersionModel {
  readonly version: number;
  /** Path relative to the catalog root, with forward slashes: `banking/MoneyDeposited/v1.json`. */
  readonly file: string;
  /** The schema exactly as parsed. */
  readonly schema: JsonSchemaObject;
  /**
   * The same schema with every `$ref` (local `$defs` and catalog files) inlined, so emitters
   * never resolve references themselves. A `$ref` with sibling keywords becomes
   * `{ allOf: [target], ...siblings }`. The catalog's content-model rule is applied: an object
   * schema that declares `properties` and does not open itself carries
   * `additionalProperties: false`, or `unevaluatedProperties: false` where it is composed
   * (docs/schema-reference.md, "Undeclared properties"). Types, validators and the diff engine
   * all read this form.
   */
  readonly resolved: JsonSchemaObject;
  /** `sha256-<hex>` of the canonical JSON (sorted keys) of `schema`. */
  readonly hash: string;
  /** True when the lock file records this version (it may then never change). */
  readonly released: boolean;
  readonly pii: readonly PiiField[];
}

export interface EventTypeModel {
  readonly context: string;
  /** PascalCase event type name, unique across the catalog: `MoneyDeposited`. */
  readonly name: string;
  /** v1..vN in order, without holes. */
  readonly versions: readonly EventVersionModel[];
}

export interface ContextModel {
  readonly name: string;
  readonly config: ContextConfig;
  /** Sorted by name. */
  readonly events: readonly EventTypeModel[];
}

export interface CatalogModel {
  /** Absolute path of the catalog folder (`<repo>/schemas`). */
  readonly root: string;
  /** Sorted by name. */
  readonly contexts: readonly ContextModel[];
}
