/**
 * The keyword family of each kind of value, and emptiness per kind: `A ⊆ nothing` holds only
 * when A has no value of the kind, which is how the engine proves that an old schema (a
 * property, an item) cannot hold anything — so nothing it "allows" can break.
 */
import type { JsonSchema } from "../model/catalog-model.js";
import { arrayInclusion } from "./array-inclusion.js";
import type { Engine } from "./engine.js";
import type { Inclusion } from "./inclusion.js";
import { HOLDS } from "./inclusion.js";
import type { Piece } from "./normal-form.js";
import { numberInclusion } from "./number-inclusion.js";
import { objectInclusion } from "./object-inclusion.js";
import type { Kind, SchemaNode } from "./schema-node.js";
import { stringInclusion } from "./string-inclusion.js";

/** The JSON Schema `type` of each kind (a fraction is a `number`). */
export const TYPE_NAME: Readonly<Record<Kind, string>> = { null: "null", boolean: "boolean", integer: "integer", fraction: "number", string: "string", array: "array", object: "object" };

/** One schema object per kind (stable identities, so the engine's memo serves them). */
export const KIND_SCHEMA: Readonly<Record<Kind, JsonSchema>> = {
  null: { type: "null" },
  boolean: { type: "boolean" },
  integer: { type: "integer" },
  fraction: { type: "number" },
  string: { type: "string" },
  array: { type: "array" },
  object: { type: "object" },
};

/** `A ⊆ B` for the values of `kind`, by its keyword family. */
export function family(engine: Engine, a: JsonSchema, piece: Piece, other: Piece, kind: Kind, aNodes: readonly SchemaNode[]): Inclusion {
  switch (kind) {
    case "null":
    case "boolean":
      return HOLDS;
    case "integer":
    case "fraction":
      return numberInclusion(piece.members, other.members, kind);
    case "string":
      return stringInclusion(piece.members, other.members);
    case "array":
      return arrayInclusion(engine, piece, other, aNodes);
    case "object":
      return objectInclusion(engine, piece, other, aNodes, a);
  }
}

/** A piece of each kind that accepts nothing: `A ⊆ it` holds only when A has no value of the kind. */
const NOTHING: Readonly<Record<Kind, Piece | undefined>> = {
  null: undefined,
  boolean: undefined,
  integer: { members: [{ minimum: 1, maximum: 0 }], forbidden: [] },
  fraction: { members: [{ minimum: 1, maximum: 0 }], forbidden: [] },
  string: { members: [{ minLength: 1, maxLength: 0 }], forbidden: [] },
  array: { members: [{ maxItems: -1 }], forbidden: [] },
  object: { members: [{ maxProperties: -1 }], forbidden: [] },
};

/** True when the engine can show that `piece` has no value of `kind` (so nothing can break). */
export function emptyFor(engine: Engine, a: JsonSchema, piece: Piece, kind: Kind, aNodes: readonly SchemaNode[]): boolean {
  const nothing = NOTHING[kind];
  return nothing !== undefined && family(engine, a, piece, nothing, kind, aNodes).holds;
}

