/** The dead-letter policy's step: records the failing event and moves the checkpoint past it. */
import { resolveFailurePolicy } from "../../integration/internal/failure-policy.js";
import type { ResolvedFailurePolicy } from "../../integration/internal/failure-policy.js";
import type { RecordedEvent } from "../../store/recorded-event.js";
import { errorCodeOf } from "../dead-letter.js";
import { describeFailure } from "../projection-errors.js";
import type { RunnerSettings } from "../runner-settings.js";
import type { StepContext, Unit } from "./run-step.js";

/**
 * A unit's failure policy with the runner's defaults filled in: the same resolution as a broker
 * consumer's (`resolveFailurePolicy`), except that the attempts and, when the unit declares no
 * backoff, the backoff default to the runner's settings.
 */
export function policyOf(unit: Pick<Unit, "failure">, settings: Pick<RunnerSettings, "maxAttempts" | "backoff">): ResolvedFailurePolicy {
  const policy = unit.failure;
  const resolved = resolveFailurePolicy({ ...policy, maxAttempts: policy?.maxAttempts ?? settings.maxAttempts });
  return policy?.backoff === undefined ? { ...resolved, backoff: settings.backoff } : resolved;
}

/**
 * In one transaction: records `event` as a failed dead letter (ids, type, attempts, the error's
 * code and class, never its message) and moves the live checkpoint just past it. Returns false
 * when the lease was lost meanwhile (the new holder will meet the event again).
 */
export async function deadLetter(ctx: StepContext, event: RecordedEvent, attempts: number, cause: unknown): Promise<boolean> {
  const { access, book, dead, unit, owner, leaseMs } = ctx;
  return access.transaction(async (trx) => {
    const row = await book.lock(trx, unit.name);
    if (row === undefined || row.lease_owner !== owner || !row.lease_valid) return false;
    await dead.add(trx, unit.name, event, { status: "failed", attempts, errorCode: errorCodeOf(cause), error: describeFailure(cause) });
    await book.commitLive(trx, unit.name, leaseMs, event.checkpoint, 0, undefined);
    return true;
  });
}
