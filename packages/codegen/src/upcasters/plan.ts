/**
 * Decides, for every step vN → vN+1 of an event type, whether codegen derives the upcaster from
 * the schema diff or a developer writes it by hand.
 */
import type { UpcastOperation } from "@strata/runtime";
import { applyUpcastOperations } from "@strata/runtime/upcasting";

import { judgeBackward } from "../check/judge-pair.js";
import { derivedOperations } from "../diff/schema-change.js";
import type { InclusionVerdict } from "../inclusion/judge-inclusion.js";
import { accepts } from "../inclusion/oracle.js";
import { diffVersions } from "../diff/diff-versions.js";
import type { SchemaChange } from "../diff/schema-change.js";
import { eventNames } from "../emit/naming.js";
import type { EventTypeModel, EventVersionModel, JsonValue } from "../model/catalog-model.js";
import type { HandWrittenUpcasterStep, UpcasterStepPlan } from "../model/upcaster-plan.js";

/** One planned step with the changes that decided it. */
export interface ExplainedStepPlan {
  readonly plan: UpcasterStepPlan;
  readonly changes: readonly SchemaChange[];
}

/** The hand-written step `from → from + 1` of `eventName`: its file and export name. */
export function handWrittenStep(eventName: string, from: number): HandWrittenUpcasterStep {
  const to = from + 1;
  return {
    kind: "hand-written",
    type: eventName,
    from,
    to,
    file: `upcasters/${eventNames(eventName).fileStem}.v${from}-to-v${to}.ts`,
    exportName: `upcast${eventNames(eventName).className}V${from}ToV${to}`,
  };
}

/**
 * The operations that bring every `older` event to `newer`, or `null` when code must. When the
 * engine proves BACKWARD compatibility, old events are valid as they are: only the operations
 * the changes suggest (defaults, renames) run. When it found a witness, the derived operations
 * must turn that witness into a valid `newer` event, or the step is not derivable.
 */
function bridge(changes: readonly SchemaChange[], backward: InclusionVerdict, newer: EventVersionModel): readonly UpcastOperation[] | null {
  if (backward.verdict === "compatible") return changes.flatMap((change) => change.derivable ?? []);
  const operations = derivedOperations(changes);
  if (operations === null || backward.verdict !== "breaking") return operations;
  const upcast = applyUpcastOperations(structuredClone(backward.witness.instance), operations) as JsonValue;
  return accepts(newer.resolved, upcast) ? operations : null;
}

/** Like {@link planUpcasters}, with the change list of each step. */
export function explainUpcasters(event: EventTypeModel): ExplainedStepPlan[] {
  const steps: ExplainedStepPlan[] = [];
  for (let index = 1; index < event.versions.length; index += 1) {
    const older = event.versions[index - 1];
    const newer = event.versions[index];
    if (older === undefined || newer === undefined) continue;
    const changes = diffVersions(older, newer);
    const operations = bridge(changes, judgeBackward(older, newer), newer);
    const plan: UpcasterStepPlan =
      operations === null
        ? handWrittenStep(event.name, older.version)
        : { kind: "derived", type: event.name, from: older.version, to: newer.version, operations };
    steps.push({ plan, changes });
  }
  return steps;
}

/**
 * Plans the upcaster chain of `event`: one step per pair of consecutive versions, derived when
 * every change of the step can be bridged mechanically (optional or defaulted property added,
 * `x-renamed-from` rename, property removed, widenings), hand-written otherwise, in
 * `upcasters/<kebab-event>.v<N>-to-v<N+1>.ts` exporting `upcast<Event>V<N>ToV<N+1>`.
 *
 * @example
 * ```ts
 * planUpcasters(moneyDeposited);
 * // → [{ kind: "derived", from: 1, to: 2, operations: [{ op: "set-default", path: "/currency", value: "EUR" }] },
 * //    { kind: "hand-written", from: 2, to: 3, file: "upcasters/money-deposited.v2-to-v3.ts", exportName: "upcastMoneyDepositedV2ToV3" }]
 * ```
 */
export function planUpcasters(event: EventTypeModel): UpcasterStepPlan[] {
  return explainUpcasters(event).map((step) => step.plan);
}
