/**
 * `strata init`: the files a new project gets, its package.json, the commands printed for each
 * package manager, the refusal to overwrite, and an existing project's package.json merged. The
 * project itself is installed, tested and run from a registry by tooling/release/prove-registry.mjs.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "../commands/command.js";
import { captureIo } from "../commands/testing/capture-io.js";
import { main } from "../main.js";
import { APP_TOOL_RANGES } from "./app-manifest.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "strata-init-"));
  dirs.push(dir);
  return dir;
}
const json = async (file: string) => JSON.parse(await readFile(file, "utf8")) as Record<string, Record<string, string>>;

describe("strata init", () => {
  it("creates a project with schemas, generated events, a decider, a projection and their tests", async () => {
    const cwd = await tempDir();
    const io = captureIo(cwd);
    expect(await main(["init", "my-app", "--package-manager", "pnpm"], io)).toBe(EXIT_CODES.ok);
    const app = path.join(cwd, "my-app");
    for (const file of ["schemas/shop/context.json", "schemas/shop/CustomerRegistered/v1.json", "schemas/shop/CustomerRegistered/v2.json", "src/customer.ts", "src/customer.test.ts", "src/customer-list.ts", "src/customer-list.test.ts", "strata.config.ts", ".gitignore", "src/events/shop/src/generated/index.gen.ts"]) {
      await expect(readFile(path.join(app, file), "utf8"), file).resolves.toBeTruthy();
    }
    expect(await readFile(path.join(app, "src/events/shop/src/generated/index.gen.ts"), "utf8")).toContain("export const shopRegistry");
    expect((await json(path.join(app, "schemas/shop/context.json")))["package"]).toBe("@my-app/shop-events");
    const manifest = await json(path.join(app, "package.json"));
    expect(manifest["name"]).toBe("my-app");
    expect(manifest["scripts"]).toMatchObject({ codegen: "strata codegen", test: "vitest run", check: "strata codegen --check && strata check" });
    expect(Object.keys(manifest["dependencies"] ?? {})).toEqual(["@electric-sql/pglite", "@opentelemetry/api", "@strata/runtime", "kysely", "pg", "zod"]);
    expect(manifest["devDependencies"]?.["@strata/cli"]).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(JSON.stringify(manifest)).not.toMatch(/"(workspace|catalog):/);
    expect(io.out()).toContain("cd my-app\n  pnpm install\n  pnpm test");
    expect(await readFile(path.join(app, "README.md"), "utf8")).toContain("pnpm strata codegen");
  }, 120_000);

  it("never overwrites: a second init in the same folder writes nothing and names the files", async () => {
    const cwd = await tempDir();
    expect(await main(["init", "--package-manager", "npm"], captureIo(cwd))).toBe(EXIT_CODES.ok);
    await writeFile(path.join(cwd, "src/customer.ts"), "// mine\n");
    const io = captureIo(cwd);
    expect(await main(["init"], io)).toBe(EXIT_CODES.failure);
    expect(io.err()).toMatch(/already has .+; strata init never overwrites a file/);
    expect(await readFile(path.join(cwd, "src/customer.ts"), "utf8")).toBe("// mine\n");
  }, 120_000);

  it("adds to an existing project's package.json only what is missing", async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, "package.json"), JSON.stringify({ name: "shop", type: "module", scripts: { test: "node --test" }, dependencies: { zod: "^4.2.0" } }));
    expect(await main(["init", "--package-manager", "yarn"], captureIo(cwd))).toBe(EXIT_CODES.ok);
    const manifest = await json(path.join(cwd, "package.json"));
    expect(manifest["scripts"]).toMatchObject({ test: "node --test", codegen: "strata codegen" });
    expect(manifest["dependencies"]).toMatchObject({ zod: "^4.2.0", kysely: expect.any(String) as string });
  }, 120_000);

  it("refuses an unknown package manager and an invalid package name", async () => {
    const cwd = await tempDir();
    const io = captureIo(cwd);
    expect(await main(["init", "--package-manager", "bun"], io)).toBe(EXIT_CODES.usage);
    expect(io.err()).toContain("must be one of npm, pnpm, yarn");
    const named = captureIo(cwd);
    expect(await main(["init", "app", "--name", "Not Valid"], named)).toBe(EXIT_CODES.failure);
    expect(named.err()).toContain('"Not Valid" is not a valid npm package name');
  });

  it("gives new projects the tool versions of the monorepo's pnpm catalog", async () => {
    const workspace = await readFile(new URL("../../../../pnpm-workspace.yaml", import.meta.url), "utf8");
    for (const [name, range] of Object.entries(APP_TOOL_RANGES)) {
      if (name === "@types/node") continue; // the catalog's is for the monorepo's own Node 20 hosts
      expect(workspace, name).toContain(`${name.includes("@") ? `"${name}"` : name}: ${range}\n`);
    }
  });
});
