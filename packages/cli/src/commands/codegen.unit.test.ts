import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { main } from "../main.js";
import type { CommandIo } from "./command.js";
import { EXIT_CODES } from "./command.js";
import { captureIo } from "./testing/capture-io.js";

const REPO = path.resolve(import.meta.dirname, "../../../..");
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "strata-cli-"));
  await cp(path.join(REPO, "schemas"), path.join(root, "schemas"), { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Messages spell commands for the package manager in npm_config_user_agent: pnpm here.
vi.stubEnv("npm_config_user_agent", "pnpm/10.34.9 npm/? node/v22.23.5");

describe("strata codegen", () => {
  it("--check fails with exit 1 and lists missing files before the first run", async () => {
    const io = captureIo(root);
    expect(await main(["codegen", "--check"], io)).toBe(EXIT_CODES.failure);
    expect(io.err()).toContain("missing packages/banking-events/src/generated/money-deposited.gen.ts");
    expect(io.err()).toContain("Run `pnpm strata codegen`");
  });

  it("generates the package, found from a subfolder, then --check passes", async () => {
    const io = captureIo(path.join(root, "schemas/banking"));
    expect(await main(["codegen"], io)).toBe(EXIT_CODES.ok);
    expect(io.out()).toMatch(/codegen: 9 event types in 1 context: \d+ files written/);
    expect(io.out()).toContain("wrote   packages/banking-events/src/generated/index.gen.ts");

    const check = captureIo(root);
    expect(await main(["codegen", "--check"], check)).toBe(EXIT_CODES.ok);
    expect(check.out()).toContain("generated code is up to date");
  });

  it("--check names a file edited by hand", async () => {
    const file = path.join(root, "packages/banking-events/src/generated/account-closed.gen.ts");
    const original = await readFile(file, "utf8");
    await writeFile(file, `${original}// edit\n`);
    const io = captureIo(root);
    expect(await main(["codegen", "--check", "--root", root], io)).toBe(EXIT_CODES.failure);
    expect(io.err()).toContain("changed packages/banking-events/src/generated/account-closed.gen.ts");
    await writeFile(file, original);
  });

  it("prints every catalog problem as file#pointer: message, exits 1 and writes nothing", async () => {
    const broken = await mkdtemp(path.join(tmpdir(), "strata-cli-broken-"));
    try {
      await cp(path.join(REPO, "schemas"), path.join(broken, "schemas"), { recursive: true });
      const file = path.join(broken, "schemas/banking/AccountClosed/v1.json");
      const schema = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
      await writeFile(file, JSON.stringify({ ...schema, properties: { accountId: { type: "string", format: "not-a-format" } } }));
      const io = captureIo(broken);
      expect(await main(["codegen"], io)).toBe(EXIT_CODES.failure);
      expect(io.err()).toMatch(/^schemas\/banking\/AccountClosed\/v1\.json#\/properties\/accountId\S*: .*"not-a-format".*$/m);
      expect(io.err()).toContain("nothing was written");
      await expect(readFile(path.join(broken, "packages/banking-events/package.json"), "utf8")).rejects.toThrow();
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it("--watch regenerates until interrupted, then exits 0", async () => {
    const controller = new AbortController();
    const out: string[] = [];
    const err: string[] = [];
    const io: CommandIo = {
      cwd: root,
      stdout: (t) => {
        out.push(t);
        controller.abort();
      },
      stderr: (t) => err.push(t),
      stderrIsTty: false,
      signal: controller.signal,
    };
    expect(await main(["codegen", "--watch"], io)).toBe(EXIT_CODES.ok);
    expect(err.join("")).toContain("codegen: watching");
    expect(out.join("")).toMatch(/codegen: 9 event types in 1 context: 0 files written/);
  });

  it("refuses --check with --watch as a usage error", async () => {
    const io = captureIo(root);
    expect(await main(["codegen", "--check", "--watch"], io)).toBe(EXIT_CODES.usage);
  });

  it("exits 2 when no repository root can be found", async () => {
    const io = captureIo(path.parse(root).root);
    expect(await main(["codegen"], io)).toBe(EXIT_CODES.usage);
    expect(io.err()).toContain("pass --root <dir>");
  });
});

describe("strata codegen picks the events package layout from the repository", () => {
  const OWN = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as { version: string };

  /** A repository with the monorepo's schemas and the given extra files; codegen run in it. */
  async function generateIn(files: Readonly<Record<string, string>>): Promise<Record<string, unknown>> {
    const repo = await mkdtemp(path.join(tmpdir(), "strata-cli-layout-"));
    try {
      await cp(path.join(REPO, "schemas"), path.join(repo, "schemas"), { recursive: true });
      for (const [file, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
        await writeFile(path.join(repo, file), content);
      }
      expect(await main(["codegen"], captureIo(repo))).toBe(EXIT_CODES.ok);
      const manifest = JSON.parse(await readFile(path.join(repo, "packages/banking-events/package.json"), "utf8")) as Record<string, unknown>;
      return { ...manifest, hasVitestConfig: existsSync(path.join(repo, "packages/banking-events/vitest.config.ts")) };
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  }
  const runtimeRange = (manifest: Record<string, unknown>): unknown => (manifest["dependencies"] as Record<string, unknown>)["@strata/runtime"];

  it("outside a pnpm workspace: a caret range on this CLI's runtime version and a self-contained scaffold", async () => {
    const manifest = await generateIn({});
    expect(runtimeRange(manifest)).toBe(`^${OWN.version}`);
    expect(JSON.stringify(manifest)).not.toMatch(/"(workspace|catalog):/);
    expect(manifest["hasVitestConfig"]).toBe(false);
  }, 60_000);

  it("in a pnpm workspace that lists a package named @strata/runtime: workspace ranges", async () => {
    const manifest = await generateIn({
      "pnpm-workspace.yaml": `packages:\n  - "libs/*" # shared\n  - 'tools/**'\n\ncatalog:\n  zod: ^4.1.0\n`,
      "libs/runtime/package.json": JSON.stringify({ name: "@strata/runtime" }),
    });
    expect(runtimeRange(manifest)).toBe("workspace:^");
    expect(manifest["hasVitestConfig"]).toBe(true);
  }, 60_000);

  it("in a pnpm workspace whose globs do not reach @strata/runtime: the self-contained layout", async () => {
    const manifest = await generateIn({
      "pnpm-workspace.yaml": `packages: [libs/*, "!libs/runtime"]\n`,
      "libs/runtime/package.json": JSON.stringify({ name: "@strata/runtime" }),
      "vendor/runtime/package.json": JSON.stringify({ name: "@strata/runtime" }),
      "libs/broken/package.json": "{",
    });
    expect(runtimeRange(manifest)).toBe(`^${OWN.version}`);
  }, 60_000);
});
