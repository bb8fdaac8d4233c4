/**
 * Turns projection statuses into one verdict for an HTTP health endpoint.
 *
 * @module
 */
import type { ProjectionStatus } from "./projection-status.js";

/** Thresholds of {@link projectionHealth}. */
export interface ProjectionHealthOptions {
  /** Lag in events above which a projection counts as degraded (default 10 000). */
  readonly maxLagEvents?: number;
  /** Age of the oldest unapplied event, in seconds, above which it counts as degraded (default 300). */
  readonly maxLagSeconds?: number;
}

/** The verdict: `ok`, or `degraded` with one reason per problem (names, ids and codes, never data). */
export interface ProjectionHealth {
  readonly status: "ok" | "degraded";
  readonly reasons: readonly string[];
}

/**
 * Judges statuses: a failed projection (live or in a rebuild), dead letters, an error not yet got
 * over (a failure retried or skipped, or the database or an upcaster failing without stopping it),
 * and a lag beyond the thresholds each make the verdict `degraded`, with a reason.
 *
 * @example
 * ```ts
 * app.get("/health", async (_request, reply) => {
 *   const health = projectionHealth(await engine.status());
 *   return reply.code(health.status === "ok" ? 200 : 503).send(health);
 * });
 * ```
 */
export function projectionHealth(statuses: readonly ProjectionStatus[], options: ProjectionHealthOptions = {}): ProjectionHealth {
  const maxLagEvents = options.maxLagEvents ?? 10_000;
  const maxLagSeconds = options.maxLagSeconds ?? 300;
  const reasons: string[] = [];
  for (const status of statuses) {
    const name = `${status.kind} "${status.name}"`;
    if (status.state === "failed") {
      const where = status.rebuild?.failed === true ? ` rebuilding v${status.rebuild.version}` : "";
      const failure = status.failure;
      reasons.push(`${name} failed${where}${failure === null ? "" : ` on event ${failure.eventId} (${failure.eventType}) with ${failure.error} after ${failure.attempts} attempt(s)`}`);
    } else if (status.lastError !== null) {
      reasons.push(`${name} ${status.rebuild === null ? "" : `rebuilding v${status.rebuild.version} `}last failed with ${status.lastError}`);
    }
    const { failed, parked } = status.deadLetters;
    if (failed + parked > 0) reasons.push(`${name} has ${failed} dead letter(s) and ${parked} parked event(s)`);
    if (status.lagEvents > maxLagEvents) reasons.push(`${name} lags ${status.lagEvents} events (more than ${maxLagEvents})`);
    if (status.lagSeconds > maxLagSeconds) reasons.push(`${name} lags ${Math.round(status.lagSeconds)} s (more than ${maxLagSeconds} s)`);
  }
  return { status: reasons.length === 0 ? "ok" : "degraded", reasons };
}
