import { describe, expect, it } from "vitest";
import { projectionHealth } from "./projection-health.js";
import type { ProjectionStatus } from "./projection-status.js";

const live: ProjectionStatus = {
  name: "balances",
  kind: "projection",
  version: 1,
  state: "live",
  position: 10n,
  head: 10n,
  lagEvents: 0,
  lagSeconds: 0,
  eventsApplied: 10,
  failure: null,
  lastError: null,
  active: true,
  rebuild: null,
  deadLetters: { failed: 0, parked: 0 },
};

describe("projectionHealth", () => {
  it("is ok when every projection is live, clean and close to the head", () => {
    expect(projectionHealth([live, { ...live, name: "mails", kind: "subscription", lagEvents: 3, lagSeconds: 1 }])).toEqual({ status: "ok", reasons: [] });
    expect(projectionHealth([])).toEqual({ status: "ok", reasons: [] });
  });

  it("is degraded with a reason per problem", () => {
    const verdict = projectionHealth(
      [
        { ...live, name: "a", state: "failed", failure: { eventId: "e-1", eventType: "MoneyDeposited", error: "TypeError", attempts: 5, at: new Date(0) }, rebuild: { version: 2, eventsApplied: 3, lagEvents: 7, failed: true } },
        { ...live, name: "b", state: "rebuilding", lastError: "StoreQueryError (code STORE_QUERY_FAILED)", rebuild: { version: 3, eventsApplied: 0, lagEvents: 9, failed: false } },
        { ...live, name: "c", deadLetters: { failed: 1, parked: 2 } },
        { ...live, name: "d", state: "catching-up", lagEvents: 20, lagSeconds: 90 },
      ],
      { maxLagEvents: 10, maxLagSeconds: 60 },
    );
    expect(verdict).toEqual({
      status: "degraded",
      reasons: [
        'projection "a" failed rebuilding v2 on event e-1 (MoneyDeposited) with TypeError after 5 attempt(s)',
        'projection "b" rebuilding v3 last failed with StoreQueryError (code STORE_QUERY_FAILED)',
        'projection "c" has 1 dead letter(s) and 2 parked event(s)',
        'projection "d" lags 20 events (more than 10)',
        'projection "d" lags 90 s (more than 60 s)',
      ],
    });
  });
});
