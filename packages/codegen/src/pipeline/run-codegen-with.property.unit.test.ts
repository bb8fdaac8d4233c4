import path from "node:path";

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { JsonSchemaObject } from "../model/catalog-model.js";
import { DEFAULT_STAGES } from "./run-codegen.js";
import { runCodegenWith } from "./run-codegen-with.js";
import { planAllHandWritten } from "./testing/all-hand-written-plan.js";
import { fixtureCatalog } from "./testing/catalog-fixture.js";
import type { FixtureContext } from "./testing/catalog-fixture.js";
import { makeTempRepo, snapshotTree } from "./testing/temp-repo.js";

const propertySchema: fc.Arbitrary<JsonSchemaObject> = fc.oneof(
  fc.constant({ type: "string" }),
  fc.record({ type: fc.constant("string"), maxLength: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ type: fc.constant("integer"), minimum: fc.integer({ min: -5, max: 5 }) }),
  fc.constant({ type: "boolean" }),
  fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 }).map((values) => ({ type: "string", enum: values })),
  fc.constant({ type: "array", items: { type: "number" } }),
);

const objectSchema: fc.Arbitrary<JsonSchemaObject> = fc
  .dictionary(fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/), propertySchema, { minKeys: 1, maxKeys: 5 })
  .chain((properties) =>
    fc.subarray(Object.keys(properties)).map((required) => ({ type: "object", properties, required, additionalProperties: false })),
  );

const context: fc.Arbitrary<FixtureContext> = fc
  .uniqueArray(fc.stringMatching(/^[A-Z][a-z]{2,8}(Opened|Closed|Moved)$/), { minLength: 1, maxLength: 3 })
  .chain((names) =>
    fc.tuple(...names.map((name) => fc.array(objectSchema, { minLength: 1, maxLength: 3 }).map((schemas) => [name, schemas] as const))),
  )
  .map((events) => ({ name: "prop", events: Object.fromEntries(events.map(([name, schemas]) => [name, schemas.map((schema) => ({ schema }))])) }));

describe("runCodegenWith on generated catalogs", () => {
  it("is deterministic and leaves nothing for --check to report", async () => {
    await fc.assert(
      fc.asyncProperty(context, async (fixture) => {
        const [a, b] = [await makeTempRepo(), await makeTempRepo()];
        try {
          const stages = (root: string) => ({ ...DEFAULT_STAGES, loadCatalog: async () => fixtureCatalog(root, [fixture]), planUpcasters: planAllHandWritten });
          await runCodegenWith(stages(a.root), { repoRoot: a.root });
          await runCodegenWith(stages(b.root), { repoRoot: b.root });
          expect(await snapshotTree(path.join(a.root, "packages"))).toEqual(await snapshotTree(path.join(b.root, "packages")));
          expect((await runCodegenWith(stages(a.root), { repoRoot: a.root, check: true })).drift).toEqual([]);
        } finally {
          await Promise.all([a.remove(), b.remove()]);
        }
      }),
      { numRuns: 15 },
    );
    // Generous: 15 catalogs generated three times each take 20–30 s of CPU (more since event
    // validators carry the storable checks), and minutes of wall time on a loaded 2-core machine.
  }, 300_000);
});
