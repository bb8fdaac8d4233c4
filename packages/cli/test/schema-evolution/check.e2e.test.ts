import { afterEach, describe, expect, it } from "vitest";

import { TempRepo, UPCASTER_PATH } from "./temp-repo.js";

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.remove();
  repo = undefined;
});

const golden = (name: string): string => `./__golden__/${name}`;

/** Adds `v<version>` of `event` as a copy of the version before, edited. */
async function addVersion(current: TempRepo, event: string, version: number, edit: (schema: Record<string, unknown>) => void): Promise<void> {
  const text = await current.read(`schemas/banking/${event}/v${version - 1}.json`);
  await current.write(`schemas/banking/${event}/v${version}.json`, text);
  await current.editJson(`schemas/banking/${event}/v${version}.json`, (schema) => {
    schema["$id"] = String(schema["$id"]).replace(/v\d+\.json$/, `v${version}.json`);
    edit(schema);
  });
}

const properties = (schema: Record<string, unknown>): Record<string, unknown> => schema["properties"] as Record<string, unknown>;

describe("strata check (golden)", () => {
  it("passes on the banking catalog with its hand-written upcaster", async () => {
    repo = await TempRepo.create();
    const result = await repo.cli("check");
    expect(result.stderr).toBe("");
    await expect(result.stdout).toMatchFileSnapshot(golden("banking-ok.txt"));
    expect(result.code).toBe(0);
  });

  it("prints the same report as JSON", async () => {
    repo = await TempRepo.create();
    const result = await repo.cli("check", "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; exitCode: number };
    expect(report).toMatchObject({ ok: true, exitCode: 0 });
    await expect(result.stdout).toMatchFileSnapshot(golden("banking-ok.json"));
  });

  it("fails when the v2→v3 upcaster is missing", async () => {
    repo = await TempRepo.create({ upcaster: null });
    const result = await repo.cli("check");
    expect(result.code).toBe(1);
    await expect(result.stdout).toMatchFileSnapshot(golden("upcaster-missing.txt"));
  });

  it("fails a hand-written upcaster with the wrong signature", async () => {
    repo = await TempRepo.create();
    await repo.write(UPCASTER_PATH, (await repo.read(UPCASTER_PATH)).replace("): MoneyDepositedV3 {", "): MoneyDepositedV2 {"));
    const result = await repo.cli("check");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `${UPCASTER_PATH}#: [upcaster-wrong-signature] v2→v3: upcastMoneyDepositedV2ToV3: its return type must be annotated MoneyDepositedV3`,
    );
  });

  it("fails a new required field with neither default nor upcaster, naming file and pointer", async () => {
    repo = await TempRepo.create();
    await addVersion(repo, "AccountClosed", 2, (schema) => {
      properties(schema)["closedBy"] = { type: "string", minLength: 1 };
      (schema["required"] as string[]).push("closedBy");
    });
    const result = await repo.cli("check");
    expect(result.code).toBe(1);
    await expect(result.stdout).toMatchFileSnapshot(golden("required-without-default.txt"));
  });

  it("fails a narrowed type without an upcaster, naming file and pointer", async () => {
    repo = await TempRepo.create();
    await addVersion(repo, "MoneyWithdrawn", 2, (schema) => {
      properties(schema)["reference"] = { type: ["string", "null"], maxLength: 140 };
    });
    await addVersion(repo, "MoneyWithdrawn", 3, (schema) => {
      properties(schema)["reference"] = { type: "string", maxLength: 140 };
    });
    const result = await repo.cli("check");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "schemas/banking/MoneyWithdrawn/v3.json#/properties/reference: [upcaster-missing] v2→v3 cannot be derived (/reference: type null | string → string (no longer accepts null))",
    );
  });

  it("fails an edit of a released version, naming file and pointer", async () => {
    repo = await TempRepo.create();
    await repo.releaseAll();
    await repo.commitAll("release");
    await repo.editJson("schemas/banking/MoneyDeposited/v1.json", (schema) => {
      (properties(schema)["amount"] as Record<string, unknown>)["minimum"] = 0;
    });
    const result = await repo.cli("check");
    expect(result.code).toBe(1);
    // The message is the loader's; check adds the pointer of the first difference from HEAD.
    expect(result.stderr).toMatch(/^strata check: the schema catalog has 1 problem\(s\):\n/);
    expect(result.stderr).toContain("  schemas/banking/MoneyDeposited/v1.json#/properties/amount/minimum: [released-version-edited] released version banking/MoneyDeposited/v1.json was edited");
    expect(result.stderr).toContain("(first difference from HEAD at /properties/amount/minimum)\n");
  });

  it("fails FORWARD breaks when the context's mode protects FORWARD", async () => {
    repo = await TempRepo.create();
    await repo.editJson("schemas/banking/context.json", (config) => {
      config["compatibility"] = "FULL";
    });
    const result = await repo.cli("check", "--json");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { problems: { code: string; file: string; pointer: string }[] };
    expect(report.problems.map((p) => `${p.code} ${p.file}#${p.pointer}`)).toContain("mode-violated schemas/banking/MoneyDeposited/v2.json#/properties/currency");
  });

  it("exits 2 for an invalid catalog and for an unreadable revision", async () => {
    repo = await TempRepo.create();
    await repo.write("schemas/banking/AccountClosed/v2.json", "{ not json");
    expect((await repo.cli("check")).code).toBe(2);
    await repo.write("schemas/banking/AccountClosed/v2.json", await repo.read("schemas/banking/AccountClosed/v1.json").then((t) => t.replace("/v1.json", "/v2.json")));
    const result = await repo.cli("check", "--against", "no-such-ref");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read the schema catalog at git revision "no-such-ref"');
  });
});

describe("strata check --against", () => {
  it("lists what the working tree changes compared with a revision", async () => {
    repo = await TempRepo.create();
    await repo.commitAll("base");
    await addVersion(repo, "AccountFrozen", 2, (schema) => {
      properties(schema)["note"] = { type: "string", maxLength: 200 };
    });
    const result = await repo.cli("check", "--against", "HEAD");
    expect(result.code).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot(golden("against-head.txt"));
  });

  it("fails when a version released at the revision was edited through a shared $ref target", async () => {
    repo = await TempRepo.create();
    await repo.releaseAll();
    await repo.commitAll("release");
    // Unlock money.json so the loader lets the edit through; --against still sees MoneyWithdrawn v1 change.
    await repo.editJson("schemas/strata.lock.json", (lock) => {
      delete (lock["released"] as Record<string, string>)["banking/_defs/money.json"];
    });
    await repo.editJson("schemas/banking/_defs/money.json", (schema) => {
      (properties(schema)["amountMinor"] as Record<string, unknown>)["minimum"] = 0;
    });
    const result = await repo.cli("check", "--against", "HEAD");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "schemas/banking/MoneyWithdrawn/v1.json#/properties/money/properties/amountMinor: [released-version-edited] released version v1 differs from HEAD",
    );
  });
});

describe("strata check --changeset", () => {
  it("writes one minor changeset for a first release, once", async () => {
    repo = await TempRepo.create();
    const first = await repo.cli("check", "--changeset");
    expect(first.code).toBe(0);
    const files = await repo.list(".changeset");
    expect(files).toHaveLength(1);
    await expect(await repo.read(`.changeset/${files[0] ?? ""}`)).toMatchFileSnapshot(golden("changeset.md"));
    expect(first.stdout).toContain(`strata check: wrote .changeset/${files[0] ?? ""} (@strata/banking-events: minor)`);
    await repo.cli("check", "--changeset");
    expect(await repo.list(".changeset")).toEqual(files);
  });

  it("is major when a new version breaks FORWARD compatibility", async () => {
    repo = await TempRepo.create();
    await repo.releaseAll();
    const next = (await repo.latestVersion("MoneyDeposited")) + 1;
    await addVersion(repo, "MoneyDeposited", next, (schema) => {
      properties(schema)["note"] = { type: "string", maxLength: 200 };
    });
    const result = await repo.cli("check", "--changeset");
    expect(result.code).toBe(0);
    const [file] = await repo.list(".changeset");
    const text = await repo.read(`.changeset/${file ?? ""}`);
    expect(text).toBe(
      `---\n"@strata/banking-events": major\n---\n\nAdds the banking event schemas MoneyDeposited v${next}, which readers built against the previous release cannot read (upgrade consumers before producers), with upcasters that bring stored events to the latest version.\n`,
    );
  });

  it("writes nothing when every version is released", async () => {
    repo = await TempRepo.create();
    await repo.releaseAll();
    const result = await repo.cli("check", "--changeset");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("no unreleased versions, no changeset needed");
  });
});
