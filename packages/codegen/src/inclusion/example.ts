/**
 * Builds an instance of a schema, best effort: the engine's witnesses are built from these and
 * then checked with the real validator, so a wrong guess costs a candidate, never a verdict.
 */
import type { JsonSchema, JsonValue } from "../model/catalog-model.js";
import { arrayView } from "./array-view.js";
import { exampleArray } from "./array-inclusion.js";
import type { Engine } from "./engine.js";
import { numberProbes } from "./number-inclusion.js";
import type { Piece } from "./normal-form.js";
import { expand } from "./normal-form.js";
import { exampleObject } from "./object-inclusion.js";
import { objectView } from "./object-view.js";
import { accepts } from "./oracle.js";
import type { Kind } from "./schema-node.js";
import { finiteValues, kindOf, kindsOf } from "./schema-node.js";
import { exampleString } from "./string-inclusion.js";

const PREFERRED: readonly Kind[] = ["object", "string", "integer", "boolean", "null", "array", "fraction"];

/** An instance of one piece, of `kind` when given. */
export function examplePiece(engine: Engine, piece: Piece, kind?: Kind): JsonValue | undefined {
  const members = piece.members;
  const kinds = kindsOf(members);
  const finite = finiteValues(members);
  if (finite !== undefined) {
    return finite.find((value) => (kind === undefined || kindOf(value) === kind) && kinds.has(kindOf(value)) && members.every((member) => accepts(member, value)));
  }
  const allowed = (value: JsonValue): boolean => !piece.forbidden.some((forbidden) => accepts(forbidden, value));
  if (kind === undefined) {
    const values = PREFERRED.filter((k) => kinds.has(k)).map((k) => examplePiece(engine, piece, k));
    // JSON null is a value: look up indexes, never `??` on values.
    const best = values.findIndex((value) => value !== undefined && allowed(value));
    return values[best >= 0 ? best : values.findIndex((value) => value !== undefined)];
  }
  const chosen = kind;
  if (chosen === undefined || !kinds.has(chosen)) return undefined;
  switch (chosen) {
    case "null":
      return null;
    case "boolean":
      return [true, false].find(allowed) ?? true;
    case "integer":
    case "fraction": {
      const probes = numberProbes(members, chosen);
      return probes.find(allowed) ?? probes[0];
    }
    case "string":
      return exampleString(members);
    case "array":
      return exampleArray(engine, arrayView(members, members));
    case "object":
      return exampleObject(engine, objectView(members, members));
  }
}

/** An instance of `schema` (of `kind`, when given); validated instances are preferred. */
export function exampleOf(engine: Engine, schema: JsonSchema, kind?: Kind): JsonValue | undefined {
  let fallback: JsonValue | undefined;
  for (const piece of expand(schema)) {
    const value = examplePiece(engine, piece, kind);
    if (value === undefined) continue;
    if (accepts(schema, value)) return value;
    if (fallback === undefined) fallback = value;
  }
  return fallback;
}
