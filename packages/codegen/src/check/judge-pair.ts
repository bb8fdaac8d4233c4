/**
 * The compatibility of two versions of an event type, both directions, from the inclusion
 * engine: BACKWARD is "every v_old event validates under v_new", FORWARD the converse. Each
 * non-compatible direction carries its evidence: a witness event the validator confirms, or the
 * reason the engine could not decide. Judgements are cached per direction and pair of resolved
 * schemas, so planning upcasters (BACKWARD only) and checking the catalog compare each once.
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

const cache = new WeakMap<object, WeakMap<object, InclusionVerdict>>();

/** Whether every instance of `from` validates under `to`, cached per pair of resolved schemas. */
function judgeDirection(from: EventVersionModel, to: EventVersionModel): InclusionVerdict {
  const known = cache.get(from.resolved)?.get(to.resolved);
  if (known !== undefined) return known;
  const verdict = judgeInclusion(from.resolved, to.resolved);
  const inner = cache.get(from.resolved) ?? new WeakMap<object, InclusionVerdict>();
  inner.set(to.resolved, verdict);
  cache.set(from.resolved, inner);
  return verdict;
}

/** Judges `older → newer` BACKWARD only: can `newer` read every `older` event (what upcasting needs)? */
export function judgeBackward(older: EventVersionModel, newer: EventVersionModel): InclusionVerdict {
  return judgeDirection(older, newer);
}

/** Judges `older → newer` in both directions. */
export function judgePair(older: EventVersionModel, newer: EventVersionModel): PairJudgement {
  return { backward: judgeDirection(older, newer), forward: judgeDirection(newer, older) };
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
