/**
 * The sample catalog's committed lock (schemas/strata.lock.json) protects its released versions
 * in CI: on a copy of this repository's schemas, lock and banking package (with the workspace
 * files that make codegen treat the copy as the Strata monorepo), `strata codegen --check` and
 * `strata check` pass, and fail naming the file once a released version is edited, renamed or
 * deleted.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { main } from "../../src/main.js";
import { EXIT_CODES } from "../../src/commands/command.js";
import { captureIo } from "../../src/commands/testing/capture-io.js";

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, "../../../..");
const PACKAGE = "packages/banking-events";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "strata-lock-"));
  await cp(path.join(REPO, "schemas"), path.join(root, "schemas"), { recursive: true });
  await cp(path.join(REPO, "pnpm-workspace.yaml"), path.join(root, "pnpm-workspace.yaml"));
  await mkdir(path.join(root, "packages/runtime"), { recursive: true });
  await cp(path.join(REPO, "packages/runtime/package.json"), path.join(root, "packages/runtime/package.json"));
  await cp(path.join(REPO, PACKAGE), path.join(root, PACKAGE), {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|dist|test-results)$/.test(source),
  });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function strata(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(root);
  const code = await main([...args, "--root", root], io);
  return { code, out: io.out(), err: io.err() };
}

async function editJson(rel: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
  const file = path.join(root, "schemas", rel);
  const value = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  edit(value);
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

describe("the committed lock of the sample catalog", () => {
  it("locks every version and shared definition of the catalog, and both CI steps pass as committed", async () => {
    const lock = JSON.parse(await readFile(path.join(REPO, "schemas/strata.lock.json"), "utf8")) as { released: Record<string, string> };
    expect(Object.keys(lock.released)).toEqual(expect.arrayContaining(["banking/MoneyDeposited/v3.json", "banking/AccountOpened/v1.json", "banking/_defs/money.json"]));
    expect(Object.keys(lock.released)).toHaveLength(12);
    for (const command of [["codegen", "--check"], ["check"]]) {
      const result = await strata(...command);
      expect(result.code, `${command.join(" ")}\n${result.out}${result.err}`).toBe(EXIT_CODES.ok);
    }
  });

  it("fails both CI steps when a released version is edited, naming the file", async () => {
    await editJson("banking/AccountFrozen/v1.json", (schema) => {
      schema["description"] = "edited after release";
    });
    for (const command of [["codegen", "--check"], ["check"]]) {
      const result = await strata(...command);
      expect(result.code, command.join(" ")).toBe(EXIT_CODES.failure);
      expect(result.err).toContain("schemas/banking/AccountFrozen/v1.json#");
      expect(result.err).toContain("released version banking/AccountFrozen/v1.json was edited");
    }
  });

  it("fails both CI steps when a released version is renamed, naming the file the lock expects", async () => {
    // A consistent rename of the event type: folder, $id and title, so only the lock objects.
    await rename(path.join(root, "schemas/banking/AccountFrozen"), path.join(root, "schemas/banking/AccountSuspended"));
    await editJson("banking/AccountSuspended/v1.json", (schema) => {
      schema["$id"] = "https://strata.dev/schemas/banking/AccountSuspended/v1.json";
      schema["title"] = "AccountSuspended";
    });
    for (const command of [["codegen", "--check"], ["check"]]) {
      const result = await strata(...command);
      expect(result.code, command.join(" ")).toBe(EXIT_CODES.failure);
      expect(result.err).toContain("schemas/banking/AccountFrozen/v1.json#: ");
      expect(result.err).toContain("released version banking/AccountFrozen/v1.json is missing (deleted or renamed)");
    }
  });

  it("fails both CI steps when a released version is deleted, naming the file", async () => {
    await rm(path.join(root, "schemas/banking/TransferFailed"), { recursive: true });
    for (const command of [["codegen", "--check"], ["check"]]) {
      const result = await strata(...command);
      expect(result.code, command.join(" ")).toBe(EXIT_CODES.failure);
      expect(result.err).toContain("schemas/banking/TransferFailed/v1.json#: ");
      expect(result.err).toContain("released version banking/TransferFailed/v1.json is missing (deleted or renamed)");
    }
  });

  it("fails both CI steps when a released shared definition is edited, naming it", async () => {
    await editJson("banking/_defs/money.json", (schema) => {
      schema["description"] = "edited after release";
    });
    for (const command of [["codegen", "--check"], ["check"]]) {
      const result = await strata(...command);
      expect(result.code, command.join(" ")).toBe(EXIT_CODES.failure);
      expect(result.err).toContain("released shared definition banking/_defs/money.json was edited");
    }
  });

  it("catches an edit that also unlocks the version only with check --against the base revision", async () => {
    const git = (...args: string[]) => run("git", ["-c", "user.email=ci@example.com", "-c", "user.name=ci", "-c", "init.defaultBranch=main", ...args], { cwd: root });
    await git("init", "--quiet");
    await git("add", "-A");
    await git("commit", "--quiet", "-m", "base");
    await editJson("banking/AccountClosed/v1.json", (schema) => {
      schema["description"] = "edited after release";
    });
    await editJson("strata.lock.json", (lock) => {
      delete (lock["released"] as Record<string, string>)["banking/AccountClosed/v1.json"];
    });
    // The lock no longer names the file, so the loader lets the edit through and regenerates...
    expect((await strata("codegen")).code).toBe(EXIT_CODES.ok);
    expect((await strata("codegen", "--check")).code).toBe(EXIT_CODES.ok);
    expect((await strata("check")).code).toBe(EXIT_CODES.ok);
    // ...but the base revision released it.
    const result = await strata("check", "--against", "HEAD");
    expect(result.code).toBe(EXIT_CODES.failure);
    expect(`${result.out}${result.err}`).toContain("schemas/banking/AccountClosed/v1.json");
    expect(`${result.out}${result.err}`).toContain("released-version-edited");
  });
});
