import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { loadCatalog } from "../load/load-catalog.js";
import { scaffoldUpcasterSource } from "../upcasters/scaffold.js";
import { handWrittenStep } from "../upcasters/plan.js";
import { checkCatalog } from "./check-catalog.js";
import { FILLED_MONEY_DEPOSITED_UPCASTER, bankingRepo } from "./testing/banking-repo.js";
import type { TempRepo } from "./testing/banking-repo.js";

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.remove();
  repo = undefined;
});

async function check(current: TempRepo) {
  return checkCatalog(await loadCatalog({ root: join(current.root, "schemas") }), { repoRoot: current.root });
}

/** Adds `v<N+1>` to an event type: a copy of the latest version with `edit` applied to its properties. */
async function addVersion(current: TempRepo, event: string, version: number, edit: (schema: Record<string, unknown>) => void): Promise<void> {
  const schema = await current.readJson(`schemas/banking/${event}/v${version - 1}.json`);
  schema["$id"] = String(schema["$id"]).replace(/v\d+\.json$/, `v${version}.json`);
  edit(schema);
  await current.write(`schemas/banking/${event}/v${version}.json`, JSON.stringify(schema, null, 2));
}

describe("checkCatalog on the banking catalog", () => {
  it("passes with the v2→v3 upcaster written", async () => {
    repo = await bankingRepo({ upcaster: FILLED_MONEY_DEPOSITED_UPCASTER });
    const report = await check(repo);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const moneyDeposited = report.events.find((event) => event.event === "MoneyDeposited");
    expect(moneyDeposited?.steps.map((step) => [step.plan.kind, step.status])).toEqual([
      ["derived", "derived"],
      ["hand-written", "ok"],
      ["hand-written", "ok"],
    ]);
    // BACKWARD_TRANSITIVE: every pair, including v1→v3 and v1→v4.
    expect(moneyDeposited?.pairs.map((pair) => `${pair.from}-${pair.to}`)).toEqual(["1-2", "2-3", "3-4", "1-3", "2-4", "1-4"]);
  });

  it("fails without the upcaster, naming the schema file and pointer", async () => {
    repo = await bankingRepo();
    const report = await check(repo);
    expect(report.problems.map((p) => [p.code, `${p.file}#${p.pointer}`])).toEqual([["upcaster-missing", "schemas/banking/MoneyDeposited/v3.json#/properties/money"]]);
  });

  it("fails while the upcaster is the unfilled scaffold", async () => {
    repo = await bankingRepo({ upcaster: scaffoldUpcasterSource(handWrittenStep("MoneyDeposited", 2)) });
    const report = await check(repo);
    expect(report.problems.map((p) => [p.code, p.file])).toEqual([["upcaster-unfilled", "packages/banking-events/src/upcasters/money-deposited.v2-to-v3.ts"]]);
  });

  it("fails a hand-written upcaster with the wrong signature", async () => {
    repo = await bankingRepo({ upcaster: FILLED_MONEY_DEPOSITED_UPCASTER.replace("(data: MoneyDepositedV2", "(data: MoneyDepositedV3") });
    const report = await check(repo);
    expect(report.problems.map((p) => p.code)).toEqual(["upcaster-wrong-signature"]);
    expect(report.problems[0]?.message).toContain("first parameter must be typed MoneyDepositedV2");
  });

  it("fails a new required field with neither default nor upcaster", async () => {
    repo = await bankingRepo({ upcaster: FILLED_MONEY_DEPOSITED_UPCASTER });
    await addVersion(repo, "AccountClosed", 2, (schema) => {
      (schema["properties"] as Record<string, unknown>)["closedBy"] = { type: "string", minLength: 1 };
      (schema["required"] as string[]).push("closedBy");
    });
    const report = await check(repo);
    expect(report.problems.map((p) => [p.code, `${p.file}#${p.pointer}`])).toEqual([["upcaster-missing", "schemas/banking/AccountClosed/v2.json#/properties/closedBy"]]);
    expect(report.problems[0]?.message).toContain("/closedBy: required property added and no default");
  });

  it("fails a narrowed type without an upcaster (after a derived widening)", async () => {
    repo = await bankingRepo({ upcaster: FILLED_MONEY_DEPOSITED_UPCASTER });
    const reference = (type: unknown) => (schema: Record<string, unknown>) => {
      (schema["properties"] as Record<string, unknown>)["reference"] = { type, maxLength: 140 };
    };
    const latest = await repo.latestVersion("MoneyWithdrawn");
    await addVersion(repo, "MoneyWithdrawn", latest + 1, reference(["string", "null"]));
    await addVersion(repo, "MoneyWithdrawn", latest + 2, reference("string"));
    const report = await check(repo);
    const steps = report.events.find((event) => event.event === "MoneyWithdrawn")?.steps.slice(latest - 1).map((step) => step.plan.kind);
    expect(steps).toEqual(["derived", "hand-written"]);
    expect(report.problems.map((p) => [p.code, `${p.file}#${p.pointer}`])).toEqual([["upcaster-missing", `schemas/banking/MoneyWithdrawn/v${latest + 2}.json#/properties/reference`]]);
    expect(report.problems[0]?.message).toContain("/reference: type null | string → string (no longer accepts null)");
  });

  it("fails a tightened constraint without an upcaster", async () => {
    repo = await bankingRepo({ upcaster: FILLED_MONEY_DEPOSITED_UPCASTER });
    const next = (await repo.latestVersion("CustomerRegistered")) + 1;
    await addVersion(repo, "CustomerRegistered", next, (schema) => {
      (schema["properties"] as Record<string, Record<string, unknown>>)["name"] = { type: "string", minLength: 1, maxLength: 100, "x-pii": true };
    });
    const report = await check(repo);
    expect(report.problems.map((p) => [p.code, `${p.file}#${p.pointer}`])).toEqual([["upcaster-missing", `schemas/banking/CustomerRegistered/v${next}.json#/properties/name`]]);
    expect(report.problems[0]?.message).toContain("/name: maxLength 200 → 100");
  });
});
