/**
 * The compatibility of two versions of an event type, both directions, from the inclusion
 * engine: BACKWARD is "every v_old event validates under v_new", FORWARD the converse. Each
 * non-compatible direction carries its evidence: a witness event the validator confirms, or the
 * reason the engine could not decide. Judgements are cached per pair of resolved schemas, so
 * planning upcasters and checking the catalog compare each pair once.
 */
import type { JsonValue } from "../model/catalog-model.js";
import type { EventVersionModel } from "../model/catalog-model.js";
import type { InclusionVerdict, Witness } from "../inclusion/judge-inclusion.js";
import { judgeInclusion } from "../inclusion/judge-inclusion.js";

/** A direction's verdict: `undecidable` means "needs review", never "compatible". */
export type PairVerdict = "compatible" | "breaking" | "undecidable";

/** Why a direction is not compatible. */
export interface DirectionEvidence {
  readonly reason: string;
  /** For `breaking`: an event the reading version accepts and the other rejects. */
  readonly witness?: Witness;
}

/** Both directions of one pair. */
export interface PairJudgement {
  readonly backward: InclusionVerdict;
  readonly forward: InclusionVerdict;
}

const cache = new WeakMap<object, WeakMap<object, PairJudgement>>();

/** Judges `older → newer` in both directions. */
export function judgePair(older: EventVersionModel, newer: EventVersionModel): PairJudgement {
  const known = cache.get(older.resolved)?.get(newer.resolved);
  if (known !== undefined) return known;
  const judgement = { backward: judgeInclusion(older.resolved, newer.resolved), forward: judgeInclusion(newer.resolved, older.resolved) };
  const inner = cache.get(older.resolved) ?? new WeakMap<object, PairJudgement>();
  inner.set(newer.resolved, judgement);
  cache.set(older.resolved, inner);
  return judgement;
}

/** The evidence of a verdict, `undefined` when compatible. */
export function evidenceOf(verdict: InclusionVerdict): DirectionEvidence | undefined {
  if (verdict.verdict === "compatible") return undefined;
  return verdict.verdict === "breaking" ? { reason: verdict.reason, witness: verdict.witness } : { reason: verdict.reason };
}

function showInstance(instance: JsonValue): string {
  const text = JSON.stringify(instance);
  return text.length <= 160 ? text : `${text.slice(0, 157)}...`;
}

/**
 * The witness line: `this v1 event fails v2: {"bar":"x"}, at /bar`, or the reason when the
 * engine could not decide. Witnesses are built by the engine, never taken from stored events.
 */
export function describeEvidence(evidence: DirectionEvidence, writer: number, reader: number): string {
  if (evidence.witness === undefined) return `undecidable, needs review: ${evidence.reason}`;
  return `this v${writer} event fails v${reader}: ${showInstance(evidence.witness.instance)}, at ${evidence.witness.pointer || "/"}`;
}
