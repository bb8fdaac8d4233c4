/**
 * Judges one event type's versions under its context's compatibility mode.
 *
 * Strata's rules (docs/schema-evolution.md): readers only ever see the latest version, because
 * stored events are upcast on read. So a BACKWARD break is acceptable when an upcaster bridges the
 * step — derived, or hand-written and filled in — and every step needs one whatever the mode.
 * Nothing turns new data back into old shapes, so a FORWARD break under a FORWARD or FULL mode is
 * a violation.
 */
import { diffVersions } from "../diff/diff-versions.js";
import type { SchemaChange } from "../diff/schema-change.js";
import type { CompatibilityMode, EventTypeModel, EventVersionModel } from "../model/catalog-model.js";
import type { UpcasterStepPlan } from "../model/upcaster-plan.js";
import type { UpcasterInspection } from "../upcasters/inspect-upcaster.js";
import type { CheckProblem } from "./check-problem.js";
import { schemaPointerOf } from "./check-problem.js";
import { modeRules } from "./compatibility-mode.js";
import type { DirectionEvidence, PairVerdict } from "./judge-pair.js";
import { describeEvidence, evidenceOf, judgePair } from "./judge-pair.js";

/** The comparison of two versions. */
export interface PairReport {
  readonly from: number;
  readonly to: number;
  /** What changed, keyword by keyword (descriptive; the verdicts below are the engine's). */
  readonly changes: readonly SchemaChange[];
  /** Does every `from` event validate under `to`? */
  readonly backward: PairVerdict;
  /** Does every `to` event validate under `from`? */
  readonly forward: PairVerdict;
  /** For each direction that is not compatible: the witness event or the undecided reason. */
  readonly evidence: { readonly backward?: DirectionEvidence; readonly forward?: DirectionEvidence };
  /** Every upcaster step from `from` to `to` exists (derived, or hand-written and filled in). */
  readonly bridged: boolean;
}

/** How one upcaster step is provided, and whether it is usable. */
export interface StepReport {
  readonly plan: UpcasterStepPlan;
  readonly status: "derived" | "ok" | UpcasterInspection["status"];
}

/** The verdict on one event type. */
export interface EventCompatibility {
  readonly context: string;
  readonly event: string;
  readonly mode: CompatibilityMode;
  /** Neighbouring pairs, then (transitive modes) every other pair. */
  readonly pairs: readonly PairReport[];
  readonly steps: readonly StepReport[];
  readonly problems: readonly CheckProblem[];
}

/** Options of {@link checkCompatibility}. */
export interface CompatibilityOptions {
  /** The catalog folder relative to the repository root; default `schemas`. */
  readonly catalogDir?: string;
  /** The events package directory relative to the repository root, e.g. `packages/banking-events`. */
  readonly packageDirectory?: string;
  /** Verdicts on hand-written upcaster files, keyed by `step.file`; a step absent here counts as missing. */
  readonly inspections?: ReadonlyMap<string, UpcasterInspection>;
}

function stepStatus(plan: UpcasterStepPlan, inspections: ReadonlyMap<string, UpcasterInspection>): StepReport["status"] {
  if (plan.kind === "derived") return "derived";
  return inspections.get(plan.file)?.status ?? "missing-file";
}

/**
 * Compares the versions of `event` (neighbours; every pair under a `_TRANSITIVE` mode), judges
 * them under `mode`, and checks that each step of `plans` is usable.
 */
export function checkCompatibility(event: EventTypeModel, mode: CompatibilityMode, plans: readonly UpcasterStepPlan[], options: CompatibilityOptions = {}): EventCompatibility {
  const rules = modeRules(mode);
  const catalogDir = options.catalogDir ?? "schemas";
  const schemaFile = (version: EventVersionModel): string => `${catalogDir}/${version.file}`;
  const upcasterFile = (file: string): string => (options.packageDirectory === undefined ? `src/${file}` : `${options.packageDirectory}/src/${file}`);
  const name = `${event.context}/${event.name}`;
  const inspections = options.inspections ?? new Map<string, UpcasterInspection>();
  const steps = plans.map((plan) => ({ plan, status: stepStatus(plan, inspections) }));
  const usable = (from: number, to: number): boolean =>
    steps.filter((step) => step.plan.from >= from && step.plan.to <= to).every((step) => step.status === "derived" || step.status === "ok") &&
    steps.filter((step) => step.plan.from >= from && step.plan.to <= to).length === to - from;

  const pairs: PairReport[] = [];
  const problems: CheckProblem[] = [];
  const versions = event.versions;
  for (let gap = 1; gap < versions.length; gap += 1) {
    if (gap > 1 && !rules.transitive) break;
    for (let index = 0; index + gap < versions.length; index += 1) {
      const older = versions[index] as EventVersionModel;
      const newer = versions[index + gap] as EventVersionModel;
      const judgement = judgePair(older, newer);
      // A direction the engine proves compatible is compatible for every change in it.
      const changes = diffVersions(older, newer).map((change) => ({
        ...change,
        backward: judgement.backward.verdict === "compatible" ? "compatible" : change.backward,
        forward: judgement.forward.verdict === "compatible" ? "compatible" : change.forward,
      }));
      const backwardEvidence = evidenceOf(judgement.backward);
      const forwardEvidence = evidenceOf(judgement.forward);
      const pair: PairReport = {
        from: older.version,
        to: newer.version,
        changes,
        backward: judgement.backward.verdict,
        forward: judgement.forward.verdict,
        evidence: { ...(backwardEvidence === undefined ? {} : { backward: backwardEvidence }), ...(forwardEvidence === undefined ? {} : { forward: forwardEvidence }) },
        bridged: usable(older.version, newer.version),
      };
      pairs.push(pair);
      if (!rules.forward || forwardEvidence === undefined) continue;
      // A distant pair repeats the breaks of the neighbours between; report it only when they all hold.
      const neighbours = pairs.filter((p) => p.to - p.from === 1 && p.from >= older.version && p.to <= newer.version);
      if (gap > 1 && neighbours.some((p) => p.forward !== "compatible")) continue;
      const witness = forwardEvidence.witness;
      const undecidable = witness === undefined;
      problems.push({
        code: undecidable ? "compatibility-undecidable" : "mode-violated",
        event: name,
        file: schemaFile(newer),
        pointer: witness === undefined ? "" : schemaPointerOf(witness.pointer),
        message: undecidable
          ? `v${older.version}→v${newer.version}: FORWARD compatibility, which ${mode} requires, could not be decided (${forwardEvidence.reason}); review the change by hand, or relax "compatibility" in context.json`
          : `v${older.version}→v${newer.version} breaks FORWARD compatibility — ${describeEvidence(forwardEvidence, newer.version, older.version)} — which ${mode} forbids; revert the change or relax "compatibility" in context.json`,
      });
    }
  }

  for (const step of steps) {
    if (step.status === "derived" || step.status === "ok" || step.plan.kind !== "hand-written") continue;
    const plan = step.plan;
    const inspection = inspections.get(plan.file);
    const newer = versions[plan.to - 1];
    const reasons = (pairs.find((pair) => pair.from === plan.from && pair.to === plan.to)?.changes ?? []).filter((change) => change.derivable === null);
    const why = reasons.map((change) => `${change.pointer || "(event)"}: ${change.detail}`).join("; ");
    const first = reasons[0];
    const detail = inspection !== undefined && inspection.status !== "ok" ? inspection.detail : "the file does not exist (run `strata codegen` to scaffold it)";
    const file = upcasterFile(plan.file);
    if (step.status === "missing-file" || step.status === "missing-export") {
      problems.push({
        code: "upcaster-missing",
        event: name,
        file: newer === undefined ? file : schemaFile(newer),
        pointer: first === undefined ? "" : schemaPointerOf(first.pointer),
        message: `v${plan.from}→v${plan.to} cannot be derived (${why || "no mechanical bridge"}) and needs the hand-written upcaster ${plan.exportName} in ${file}: ${detail}`,
      });
    } else {
      problems.push({
        code: step.status === "unfilled" ? "upcaster-unfilled" : "upcaster-wrong-signature",
        event: name,
        file,
        pointer: "",
        message: `v${plan.from}→v${plan.to}: ${detail}${step.status === "unfilled" ? ` — it must bridge ${why}` : ""}`,
      });
    }
  }
  return { context: event.context, event: event.name, mode, pairs, steps, problems };
}
