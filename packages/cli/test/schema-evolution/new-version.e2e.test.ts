import { afterEach, describe, expect, it, vi } from "vitest";

import { TempRepo } from "./temp-repo.js";

let repo: TempRepo | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await repo?.remove();
  repo = undefined;
});

describe("strata new-version", () => {
  it("copies the latest version to v<N+1> with its $id updated, and check still passes", async () => {
    repo = await TempRepo.create();
    await repo.releaseAll();
    const latest = await repo.latestVersion("MoneyDeposited");
    const next = latest + 1;
    // The next steps name the command the way the package manager that ran strata runs it.
    vi.stubEnv("npm_config_user_agent", "npm/10.9.0 node/v22.23.5");
    const result = await repo.cli("new-version", "banking/MoneyDeposited");
    expect(result).toEqual({
      code: 0,
      stdout: `created schemas/banking/MoneyDeposited/v${next}.json (a copy of v${latest}, unreleased): edit it, then run \`npx strata codegen\` and \`npx strata check\`.\n`,
      stderr: "",
    });
    const before = JSON.parse(await repo.read(`schemas/banking/MoneyDeposited/v${latest}.json`)) as Record<string, unknown>;
    const copy = JSON.parse(await repo.read(`schemas/banking/MoneyDeposited/v${next}.json`)) as Record<string, unknown>;
    expect(copy).toEqual({ ...before, $id: `https://strata.dev/schemas/banking/MoneyDeposited/v${next}.json` });
    expect(Object.keys(copy)).toEqual(Object.keys(before));
    const check = await repo.cli("check", "--json");
    expect(check.code).toBe(0);
    const report = JSON.parse(check.stdout) as { events: { event: string; steps: { from: number; kind: string; operations?: unknown[] }[] }[] };
    const step = report.events.find((e) => e.event === "MoneyDeposited")?.steps.find((s) => s.from === latest);
    expect(step).toMatchObject({ kind: "derived", operations: [] });
  });

  it("counts on from the latest version each time", async () => {
    repo = await TempRepo.create();
    await repo.cli("new-version", "banking/AccountClosed");
    const second = await repo.cli("new-version", "banking/AccountClosed");
    expect(await repo.list("schemas/banking/AccountClosed")).toEqual(["v1.json", "v2.json", "v3.json"]);
    expect(second.stdout).toContain("note: v2 is not released yet either");
  });

  it("exits 2 for an unknown event type or a malformed argument", async () => {
    repo = await TempRepo.create();
    const unknown = await repo.cli("new-version", "banking/NoSuchEvent");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("schemas/banking/NoSuchEvent/ has no v<N>.json");
    expect((await repo.cli("new-version", "MoneyDeposited")).code).toBe(2);
    expect((await repo.cli("new-version")).code).toBe(2);
  });
});
