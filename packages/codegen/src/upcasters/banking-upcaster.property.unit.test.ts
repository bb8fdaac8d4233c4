/**
 * The hand-written banking upcaster MoneyDeposited v2→v3, checked against the schemas it
 * bridges: random data valid under v2 becomes data valid under v3, and the chain from v1
 * (derived v1→v2, then the hand-written step) reaches a valid v3. The file is read from the
 * events package on disk, as `strata check` reads it.
 */
import { fileURLToPath, pathToFileURL } from "node:url";

import { applyUpcastOperations } from "@strata/runtime";
import type { UpcastContext } from "@strata/runtime";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";

import { loadCatalog } from "../load/load-catalog.js";
import type { EventTypeModel, EventVersionModel } from "../model/catalog-model.js";
import { planUpcasters } from "./plan.js";
import { instanceArbitrary } from "./testing/instance-arbitrary.js";
import { isValid, validationErrors } from "./testing/test-validator.js";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const upcasterFile = `${repoRoot}packages/banking-events/src/upcasters/money-deposited.v2-to-v3.ts`;

type Upcaster = (data: unknown, context: UpcastContext) => unknown;

const contextArbitrary: fc.Arbitrary<UpcastContext> = fc.record({
  eventId: fc.uuid(),
  streamId: fc.string({ minLength: 1 }),
  recordedAt: fc.date({ noInvalidDate: true }),
  metadata: fc.dictionary(fc.string(), fc.jsonValue()),
});

describe("banking MoneyDeposited v2→v3 (hand-written)", () => {
  let event: EventTypeModel;
  let upcast: Upcaster;
  const version = (n: number): EventVersionModel => event.versions[n - 1] as EventVersionModel;

  beforeAll(async () => {
    const catalog = await loadCatalog({ root: `${repoRoot}schemas` });
    event = catalog.contexts.flatMap((c) => c.events).find((e) => e.name === "MoneyDeposited") as EventTypeModel;
    const module = (await import(pathToFileURL(upcasterFile).href)) as { upcastMoneyDepositedV2ToV3: Upcaster };
    upcast = module.upcastMoneyDepositedV2ToV3;
  });

  it("turns random valid v2 data into valid v3 data, without touching its input", () => {
    fc.assert(
      fc.property(instanceArbitrary(version(2).resolved), contextArbitrary, (data, context) => {
        fc.pre(isValid(version(2).resolved, data));
        const before = structuredClone(data);
        const result = upcast(data, context);
        expect(isValid(version(3).resolved, result), validationErrors(version(3).resolved, result)).toBe(true);
        expect(data).toEqual(before);
        expect(upcast(data, context)).toEqual(result);
      }),
    );
  });

  it("brings random valid v1 data to valid v3 through the planned chain", () => {
    const [derived] = planUpcasters(event);
    if (derived?.kind !== "derived") throw new Error("MoneyDeposited v1→v2 should be derived");
    fc.assert(
      fc.property(instanceArbitrary(version(1).resolved), contextArbitrary, (data, context) => {
        fc.pre(isValid(version(1).resolved, data));
        const v2 = applyUpcastOperations(data, derived.operations);
        expect(isValid(version(2).resolved, v2)).toBe(true);
        const v3 = upcast(v2, context) as { money: { currency: string } };
        expect(isValid(version(3).resolved, v3), validationErrors(version(3).resolved, v3)).toBe(true);
        expect(v3.money.currency).toBe("EUR");
      }),
    );
  });
});
