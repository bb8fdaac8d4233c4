/**
 * Whether two pieces share no instance, for `not` and for `oneOf` (an instance of the new schema
 * must stay out of the forbidden schemas). Proved by kinds that do not meet, listed values the
 * other side rejects, a required property whose schemas are disjoint (a discriminator), or a
 * `not` of the old side that covers the forbidden schema. When none applies the engine does not
 * know; it never guesses "disjoint".
 */
import type { JsonSchema } from "../model/catalog-model.js";
import type { Engine } from "./engine.js";
import type { Piece } from "./normal-form.js";
import { expand } from "./normal-form.js";
import { objectView, propertySchema } from "./object-view.js";
import { accepts } from "./oracle.js";
import { finiteValues, kindsOf } from "./schema-node.js";

const MAX_DEPTH = 8;

function piecesDisjoint(p: Piece, q: Piece, depth: number): boolean {
  const kindsQ = kindsOf(q.members);
  if (![...kindsOf(p.members)].some((kind) => kindsQ.has(kind))) return true;
  const rejects = (values: ReturnType<typeof finiteValues>, other: Piece): boolean =>
    values !== undefined && values.every((value) => !other.members.every((member) => accepts(member, value)));
  if (rejects(finiteValues(p.members), q) || rejects(finiteValues(q.members), p)) return true;
  if (depth >= MAX_DEPTH) return false;
  const viewP = objectView(p.members, p.members);
  const viewQ = objectView(q.members, q.members);
  return [...viewP.required].some((name) => viewQ.required.has(name) && schemasDisjoint(propertySchema(viewP, name), propertySchema(viewQ, name), depth + 1));
}

/** True when no instance satisfies both `a` and `b` (as far as the engine can prove). */
export function schemasDisjoint(a: JsonSchema, b: JsonSchema, depth = 0): boolean {
  const left = expand(a);
  const right = expand(b);
  return left.every((p) => right.every((q) => piecesDisjoint(p, q, depth)));
}

/** True when `piece` (restricted to `typeName`) shares no instance with `forbidden`. */
export function pieceAvoids(engine: Engine, piece: Piece, typeName: string, forbidden: JsonSchema): boolean {
  const restricted: Piece = { members: [...piece.members, { type: typeName }], forbidden: piece.forbidden };
  if (expand(forbidden).every((q) => piecesDisjoint(restricted, q, 0))) return true;
  return piece.forbidden.some((own) => engine.subset(forbidden, own).holds);
}
