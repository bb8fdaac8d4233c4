import { afterEach, describe, expect, it } from "vitest";

import { TempRepo } from "./temp-repo.js";

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.remove();
  repo = undefined;
});

/** Adds `v<version>` of `event` as a copy of the version before, edited. */
async function addVersion(current: TempRepo, event: string, version: number, edit: (schema: Record<string, unknown>) => void): Promise<void> {
  await current.write(`schemas/banking/${event}/v${version}.json`, await current.read(`schemas/banking/${event}/v${version - 1}.json`));
  await current.editJson(`schemas/banking/${event}/v${version}.json`, (schema) => {
    schema["$id"] = String(schema["$id"]).replace(/v\d+\.json$/, `v${version}.json`);
    edit(schema);
  });
}

const properties = (schema: Record<string, unknown>): Record<string, unknown> => schema["properties"] as Record<string, unknown>;

interface JsonReport {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly events: readonly { event: string; steps?: readonly { kind: string }[]; pairs: readonly { from: number; to: number; backward: string; forward: string; evidence: Record<string, { reason: string; witness?: { instance: unknown; pointer: string } }> }[] }[];
  readonly problems: readonly { code: string; file: string; pointer: string; message: string }[];
}

describe("strata check verdicts (inclusion engine)", () => {
  it("prints the witness of a FORWARD break and fails under FULL, in text and JSON", async () => {
    repo = await TempRepo.create();
    await repo.editJson("schemas/banking/context.json", (config) => {
      config["compatibility"] = "FULL";
    });
    await addVersion(repo, "AccountClosed", 2, (schema) => {
      properties(schema)["note"] = { type: "string", maxLength: 20 };
    });
    const text = await repo.cli("check");
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('  v1→v2 FORWARD breaking: this v2 event fails v1: {"accountId":"00000000-0000-4000-8000-000000000000","note":""}, at /note');
    expect(text.stdout).toContain("schemas/banking/AccountClosed/v2.json#/properties/note: [mode-violated] v1→v2 breaks FORWARD compatibility — this v2 event fails v1:");

    const json = await repo.cli("check", "--json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report).toMatchObject({ ok: false, exitCode: 1 });
    const pair = report.events.find((event) => event.event === "AccountClosed")?.pairs[0];
    expect(pair).toMatchObject({ from: 1, to: 2, backward: "compatible", forward: "breaking" });
    expect(pair?.evidence["forward"]?.witness).toEqual({ instance: { accountId: "00000000-0000-4000-8000-000000000000", note: "" }, pointer: "/note" });
  });

  it("derives the upcaster of a plain type widened to anyOf: no hand-written code, exit 0", async () => {
    repo = await TempRepo.create();
    await addVersion(repo, "AccountFrozen", 2, (schema) => {
      properties(schema)["reason"] = { anyOf: [{ type: "integer" }, properties(schema)["reason"] as object] };
    });
    const result = await repo.cli("check", "--json");
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.problems).toEqual([]);
    expect(result.code).toBe(0);
    const frozen = report.events.find((event) => event.event === "AccountFrozen");
    expect(frozen?.pairs[0]).toMatchObject({ backward: "compatible", forward: "breaking" });
    expect(frozen?.steps?.[0]?.kind).toBe("derived");
  });

  it("judges an additionalProperties model gaining a differently typed property as breaking (issue 1a)", async () => {
    repo = await TempRepo.create();
    await repo.editJson("schemas/banking/AccountFrozen/v1.json", (schema) => {
      schema["additionalProperties"] = { type: "string" };
    });
    await addVersion(repo, "AccountFrozen", 2, (schema) => {
      properties(schema)["bar"] = { type: "number" };
    });
    const result = await repo.cli("check");
    expect(result.stdout).toContain('  v1→v2 BACKWARD breaking: this v1 event fails v2: {"accountId":"00000000-0000-4000-8000-000000000000","reason":"a","bar":""}, at /bar');
    // BACKWARD_TRANSITIVE: the break needs an upcaster, which does not exist yet.
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("[upcaster-missing] v1→v2 cannot be derived");
  });

  it("reports what it cannot decide as needing review, never as compatible (FULL fails with compatibility-undecidable)", async () => {
    repo = await TempRepo.create();
    await repo.editJson("schemas/banking/context.json", (config) => {
      config["compatibility"] = "FULL";
    });
    await repo.editJson("schemas/banking/AccountFrozen/v1.json", (schema) => {
      properties(schema)["reason"] = { type: "string", pattern: "^(a+)b\\1$" };
    });
    await addVersion(repo, "AccountFrozen", 2, (schema) => {
      properties(schema)["reason"] = { type: "string", pattern: "^(a+)c\\1$" };
    });
    const result = await repo.cli("check", "--json");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    const pair = report.events.find((event) => event.event === "AccountFrozen")?.pairs[0];
    expect(pair?.forward).toBe("undecidable");
    expect(pair?.evidence["forward"]?.reason).toContain("a pattern is not a regular expression the engine can analyse");
    expect(report.problems.map((p) => p.code)).toContain("compatibility-undecidable");
  });
});
