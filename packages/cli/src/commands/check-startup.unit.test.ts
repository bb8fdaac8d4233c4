/**
 * What `strata check` loads: start-up is most of its time (issue 14 asks for under 0.5 s on the
 * banking catalog), so the check path must not pull in the runtime's store (Kysely, PGlite, pg,
 * sodium), nor the TypeScript parser while the upcaster inspections are cached, nor ajv while the
 * validation memo knows every file. Run in a child process, from the sources, with a loader hook
 * that lists every ES module loaded and NODE_DEBUG=module for the CommonJS ones.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("../..", import.meta.url));
const REPO = path.resolve(CLI, "../..");
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("strata check start-up", () => {
  it("loads neither the event store, its drivers nor the TypeScript compiler on the banking catalog", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "strata-check-startup-"));
    dirs.push(dir);
    const log = path.join(dir, "modules.txt");
    await writeFile(path.join(dir, "hooks.mjs"), `import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + "\\n"); return next(url, context); }\n`);
    await writeFile(path.join(dir, "register.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(path.join(dir, "hooks.mjs")).href)});\n`);
    // Twice: the first run may fill the inspection cache and the validation memo; the second must need neither the parser nor ajv.
    let required = "";
    for (let run = 0; run < 2; run += 1) {
      await writeFile(log, "");
      const child = spawnSync(process.execPath, ["--import", path.join(dir, "register.mjs"), "--import", "tsx/esm", "--conditions=@strata/source", path.join(CLI, "src/bin.ts"), "check"], {
        cwd: REPO,
        encoding: "utf8",
        env: { ...process.env, NODE_DEBUG: "module" },
      });
      expect(child.stdout).toContain("strata check: ok");
      required = child.stderr;
    }
    // ajv's package.json is resolved for its version (the memo's key), which Node 24 logs; its code must not load.
    const ajvFiles = (required.match(/node_modules\/(\.pnpm\/)?ajv[@/][^\s"']*/g) ?? []).filter((file) => !file.endsWith("/package.json"));
    expect(ajvFiles).toEqual([]);
    const loaded = (await readFile(log, "utf8")).split("\n").filter((url) => url.includes("/node_modules/") || url.includes("/packages/"));
    const named = (pattern: RegExp) => loaded.filter((url) => pattern.test(url));
    expect(named(/\/(kysely|pg|pg-pool|@electric-sql|sodium-native|superjson|typescript|ts-morph)\//)).toEqual([]);
    expect(named(/\/packages\/runtime\/src\/(?!upcasting\/|did-you-mean)/)).toEqual([]);
  }, 120_000);
});
