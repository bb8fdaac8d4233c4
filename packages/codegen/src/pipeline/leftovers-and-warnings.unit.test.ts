import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import type { CodegenWarning } from "./codegen-result.js";
import type { CodegenStages } from "./codegen-stages.js";
import { DEFAULT_STAGES } from "./run-codegen.js";
import { runCodegenWith } from "./run-codegen-with.js";
import { planAllHandWritten } from "./testing/all-hand-written-plan.js";
import { BANKING_LIKE } from "./testing/banking-like-fixture.js";
import { fixtureCatalog } from "./testing/catalog-fixture.js";
import type { FixtureContext } from "./testing/catalog-fixture.js";
import { makeTempRepo, snapshotTree } from "./testing/temp-repo.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function tempRepo(): Promise<string> {
  const repo = await makeTempRepo();
  cleanups.push(repo.remove);
  return repo.root;
}

const upcasterWarnings = (warnings: readonly CodegenWarning[]) => warnings.filter((warning) => warning.code !== "integer-without-maximum");

const BILLING: FixtureContext = { name: "billing", events: { InvoiceSent: [{ schema: { type: "object", properties: { invoiceId: { type: "string" } } } }] } };
const PKG = "packages/banking-events";
const V1_TO_V2 = `${PKG}/src/upcasters/money-deposited.v1-to-v2.ts`;
const V2_TO_V3 = `${PKG}/src/upcasters/money-deposited.v2-to-v3.ts`;

function run(root: string, contexts: readonly FixtureContext[], options: { check?: boolean; plan?: CodegenStages["planUpcasters"] } = {}) {
  const stages: CodegenStages = { ...DEFAULT_STAGES, loadCatalog: async () => fixtureCatalog(root, contexts), planUpcasters: options.plan ?? planAllHandWritten };
  return runCodegenWith(stages, { repoRoot: root, check: options.check ?? false });
}

/** A filled v2→v3 upcaster of the banking-like fixture. */
const FILLED_V2_TO_V3 = `import type { UpcastContext } from "@strata/runtime";
import type { MoneyDepositedV2, MoneyDepositedV3 } from "../generated/money-deposited.types.gen.js";

export function upcastMoneyDepositedV2ToV3(data: MoneyDepositedV2, _context: UpcastContext): MoneyDepositedV3 {
  return { accountId: data.accountId, money: { amountMinor: data.amount, currency: data.currency }, source: "cash" };
}
`;

describe("leftovers: reported, never deleted", () => {
  it("reports a generated package whose context left the catalog, in --check and in a run, and keeps it", async () => {
    const root = await tempRepo();
    await run(root, [BANKING_LIKE, BILLING]);
    const billing = await snapshotTree(path.join(root, "packages/billing-events"));

    const check = await run(root, [BANKING_LIKE], { check: true });
    expect(check.drift).toEqual([{ path: "packages/billing-events", kind: "stale-package" }]);
    expect(check.leftovers).toEqual([{ path: "packages/billing-events", kind: "stale-package", detail: expect.stringContaining('context "billing", which no longer exists in schemas/') }]);

    const written = await run(root, [BANKING_LIKE]);
    expect(written.leftovers.map((leftover) => leftover.path)).toEqual(["packages/billing-events"]);
    expect(await snapshotTree(path.join(root, "packages/billing-events"))).toEqual(billing);
  });

  it("reports the old package when a context's package moved to another directory", async () => {
    const root = await tempRepo();
    await run(root, [BANKING_LIKE]);
    const check = await run(root, [{ ...BANKING_LIKE, directory: "libs/bank-events" }], { check: true });
    expect(check.leftovers).toEqual([{ path: PKG, kind: "stale-package", detail: expect.stringContaining("now generated elsewhere") }]);
    expect(check.drift).toContainEqual({ path: PKG, kind: "stale-package" });
  });

  it("reports a hand-written upcaster the plan no longer uses, and nothing else in src/upcasters", async () => {
    const root = await tempRepo();
    await run(root, [BANKING_LIKE]); // every step hand-written: scaffolds v1→v2 and v2→v3
    await writeFile(path.join(root, `${PKG}/src/upcasters/money-deposited.v1-to-v2.unit.test.ts`), "// its test\n");
    await writeFile(path.join(root, `${PKG}/src/upcasters/shared-helpers.ts`), "export const x = 1;\n");
    const before = await readFile(path.join(root, V1_TO_V2), "utf8");

    // The real planner derives v1→v2 (a defaulted field was added): its file is no longer needed.
    const check = await run(root, [BANKING_LIKE], { check: true, plan: DEFAULT_STAGES.planUpcasters });
    expect(check.leftovers).toEqual([{ path: V1_TO_V2, kind: "unused-upcaster", detail: expect.stringContaining("banking upcaster plan") }]);
    expect(check.drift).toContainEqual({ path: V1_TO_V2, kind: "unused-upcaster" });

    await run(root, [BANKING_LIKE], { plan: DEFAULT_STAGES.planUpcasters });
    expect(await readFile(path.join(root, V1_TO_V2), "utf8")).toBe(before);
    const generated = await readFile(path.join(root, `${PKG}/src/generated/money-deposited.gen.ts`), "utf8");
    expect(generated).not.toContain("money-deposited.v1-to-v2");
  });

  it("finds nothing in a repository that matches its catalog", async () => {
    const root = await tempRepo();
    await run(root, [BANKING_LIKE, BILLING]);
    const check = await run(root, [BANKING_LIKE, BILLING], { check: true });
    expect(check.leftovers).toEqual([]);
    expect(check.drift).toEqual([]);
  });
});

describe("hand-written upcaster warnings", () => {
  it("warns about unfilled scaffolds without failing the run, naming step and file", async () => {
    const root = await tempRepo();
    const result = await run(root, [BANKING_LIKE]);
    expect(result.written).toContain(V2_TO_V3);
    expect(upcasterWarnings(result.warnings).map((warning) => [warning.code, warning.path])).toEqual([
      ["unfilled-upcaster", V1_TO_V2],
      ["unfilled-upcaster", V2_TO_V3],
    ]);
    expect(upcasterWarnings(result.warnings)[1]?.message).toMatch(/^MoneyDeposited v2→v3: .*strata check/);
  });

  it("stops warning once the upcaster is written, and warns about a wrong signature", async () => {
    const root = await tempRepo();
    await run(root, [BANKING_LIKE]);
    await writeFile(path.join(root, V2_TO_V3), FILLED_V2_TO_V3);
    await writeFile(path.join(root, V1_TO_V2), FILLED_V2_TO_V3.replace("upcastMoneyDepositedV2ToV3", "upcastMoneyDepositedV1ToV2"));
    const result = await run(root, [BANKING_LIKE], { check: true });
    expect(result.drift).toEqual([]);
    expect(upcasterWarnings(result.warnings)).toEqual([
      { path: V1_TO_V2, code: "upcaster-wrong-signature", message: expect.stringContaining("MoneyDepositedV1") },
    ]);
  });

  it("does not warn about scaffolds --check finds missing (they are drift)", async () => {
    const root = await tempRepo();
    const result = await run(root, [BANKING_LIKE], { check: true });
    expect(result.drift).toContainEqual({ path: V2_TO_V3, kind: "missing" });
    expect(upcasterWarnings(result.warnings)).toEqual([]);
    expect(existsSync(path.join(root, V2_TO_V3))).toBe(false);
  });
});

describe("integer bound warnings", () => {
  it("name each latest version's integer fields that declare no maximum, and only those", async () => {
    const root = await tempRepo();
    const bounded: FixtureContext = {
      name: "ledger",
      events: {
        Posted: [
          { schema: { type: "object", properties: { cents: { type: "integer" } } } },
          { schema: { type: "object", properties: { cents: { type: "integer", minimum: 0, maximum: 1_000_000 }, lines: { type: "array", items: { type: "object", properties: { qty: { type: ["integer", "null"] } } } } } } },
        ],
        Noted: [{ schema: { type: "object", properties: { count: { type: "integer", exclusiveMaximum: 10 }, text: { type: "string" } } } }],
      },
    };
    const result = await run(root, [bounded]);
    const integerWarnings = result.warnings.filter((warning) => warning.code === "integer-without-maximum");
    expect(integerWarnings).toHaveLength(1);
    expect(integerWarnings[0]?.message).toMatch(/^Posted v2: integer field\(s\) \/properties\/lines\/items\/properties\/qty declare no "maximum"/);
    expect(integerWarnings[0]?.path).toMatch(/Posted\/v2\.json$/);
  });
});
