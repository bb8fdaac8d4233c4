import { fileURLToPath } from "node:url";

import { applyUpcastOperations } from "@strata/runtime";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";

import { loadCatalog } from "../load/load-catalog.js";
import type { EventTypeModel } from "../model/catalog-model.js";
import type { DerivedUpcasterStep } from "../model/upcaster-plan.js";
import { planUpcasters } from "./plan.js";
import { derivedEvolution } from "./testing/evolution-fixture.js";
import { instanceArbitrary } from "./testing/instance-arbitrary.js";
import { isValid, validationErrors } from "./testing/test-validator.js";

const bankingRoot = fileURLToPath(new URL("../../../../schemas", import.meta.url));

function derivedSteps(event: EventTypeModel): DerivedUpcasterStep[] {
  return planUpcasters(event).filter((step): step is DerivedUpcasterStep => step.kind === "derived");
}

/** Random instances valid under v<from> are valid under v<to> once upcast. */
function assertStepPreservesValidity(event: EventTypeModel, step: DerivedUpcasterStep): void {
  const from = event.versions[step.from - 1];
  const to = event.versions[step.to - 1];
  if (from === undefined || to === undefined) throw new Error("step outside the event's versions");
  fc.assert(
    fc.property(instanceArbitrary(from.resolved), (data) => {
      fc.pre(isValid(from.resolved, data));
      const upcast = applyUpcastOperations(data, step.operations);
      expect(isValid(to.resolved, upcast), `${event.name} v${step.from}→v${step.to}: ${validationErrors(to.resolved, upcast)}`).toBe(true);
    }),
    { numRuns: 200 },
  );
}

describe("derived upcasters (properties)", () => {
  const evolution = derivedEvolution();

  it("plans every step of the fixture evolution as derived", () => {
    expect(planUpcasters(evolution).map((step) => step.kind)).toEqual(["derived", "derived", "derived", "derived"]);
  });

  it.each(derivedSteps(evolution).map((step) => [`v${step.from}→v${step.to}`, step] as const))("%s turns valid older data into valid newer data", (_name, step) => {
    assertStepPreservesValidity(evolution, step);
  });

  it("upcasts any stored version to the latest, and the chain equals the composition of its steps", () => {
    const steps = derivedSteps(evolution);
    const latest = evolution.versions.at(-1);
    if (latest === undefined) throw new Error("no versions");
    for (const version of evolution.versions) {
      const remaining = steps.filter((step) => step.from >= version.version);
      const chain = remaining.flatMap((step) => step.operations);
      fc.assert(
        fc.property(instanceArbitrary(version.resolved), (data) => {
          fc.pre(isValid(version.resolved, data));
          const composed = remaining.reduce<unknown>((value, step) => applyUpcastOperations(value, step.operations), data);
          expect(applyUpcastOperations(data, chain)).toEqual(composed);
          expect(isValid(latest.resolved, composed), validationErrors(latest.resolved, composed)).toBe(true);
        }),
        { numRuns: 100 },
      );
    }
  });

  describe("on the banking catalog", () => {
    let events: EventTypeModel[] = [];
    beforeAll(async () => {
      const catalog = await loadCatalog({ root: bankingRoot });
      events = catalog.contexts.flatMap((context) => [...context.events]);
    });

    it("derives MoneyDeposited v1→v2 (currency defaults to EUR) and every derived step keeps data valid", () => {
      const moneyDeposited = events.find((event) => event.name === "MoneyDeposited");
      expect(moneyDeposited).toBeDefined();
      const [first] = planUpcasters(moneyDeposited as EventTypeModel);
      expect(first).toEqual({ kind: "derived", type: "MoneyDeposited", from: 1, to: 2, operations: [{ op: "set-default", path: "/currency", value: "EUR" }] });
      for (const event of events) for (const step of derivedSteps(event)) assertStepPreservesValidity(event, step);
    });
  });
});
