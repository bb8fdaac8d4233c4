// Runs docs/getting-started.md as written: every ```sh block (as one bash script, in the folder
// the previous block ended in) and every file block whose first line is `// <path>` (written
// there, without that line), in order, with npm, from an empty HOME, against the loopback
// registry. `npm create strata@latest` installs the version under proof instead of `latest`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { run } from "./exec.mjs";
import { ROOT } from "./workspace.mjs";

const GUIDE = join(ROOT, "docs", "getting-started.md");
const FENCE = /^```(\w*)\n([\s\S]*?)^```$/gm;

/** The guide's runnable blocks, in order: `{ kind: "sh", script }` or `{ kind: "file", path, content }`. */
export function guideBlocks(markdown) {
  const blocks = [];
  for (const [, info, body] of markdown.matchAll(FENCE)) {
    if (info === "sh") blocks.push({ kind: "sh", script: body });
    const named = /^\/\/ ([\w./-]+)\n/.exec(body);
    if (named && (info === "jsonc" || info === "ts" || info === "json")) blocks.push({ kind: "file", path: named[1], content: body.slice(named[0].length) });
  }
  return blocks;
}

/** Runs the guide in a new folder under `work`; `expectations` maps a block index to text its output must contain. */
export async function runGuideFlow(steps, { work, env, version }) {
  const home = mkdtempSync(join(work, "home-guide-"));
  // The guide runs on embedded PGlite, as on a machine without a server: CI's DATABASE_URL is
  // emptied (src/database.ts treats an empty one as unset), or `npm start` would write to the server.
  const flowEnv = { ...env, HOME: home, npm_config_cache: join(home, ".npm"), npm_config_yes: "true", DATABASE_URL: "", XDG_CACHE_HOME: join(home, ".cache") };
  let cwd = join(work, "guide");
  mkdirSync(cwd, { recursive: true });
  const blocks = guideBlocks(readFileSync(GUIDE, "utf8"));
  if (blocks.length < 5) throw new Error(`${GUIDE} has only ${blocks.length} runnable blocks`);
  const where = join(home, "cwd");
  for (const [index, block] of blocks.entries()) {
    if (block.kind === "file") {
      await steps.step(`getting-started: write ${block.path}`, () => {
        mkdirSync(dirname(join(cwd, block.path)), { recursive: true });
        writeFileSync(join(cwd, block.path), block.content);
      });
      continue;
    }
    const script = block.script.replaceAll("strata@latest", `strata@${version}`);
    const first = script.split("\n")[0];
    const output = await steps.step(`getting-started #${index + 1}: ${first}${script.trim().includes("\n") ? " …" : ""}`, async () => {
      const { stdout } = await run("bash", ["-e", "-c", `${script}\npwd > ${JSON.stringify(where)}`], { cwd, env: flowEnv, timeoutMs: 15 * 60_000 });
      cwd = readFileSync(where, "utf8").trim();
      return stdout;
    });
    if (script.includes("strata erase")) {
      // The block runs under `bash -e`: an erase that exits 3 (pending) has already failed the step.
      await steps.check("getting-started: the erasure completes (every place done, exit 0)", () => {
        if (!output.includes("erase: erased; every place is done")) throw new Error(`strata erase printed:\n${output.slice(-1500)}`);
      });
      await steps.check("getting-started: after the erasure the customer's email reads as ERASED", () => {
        if (!output.includes("email ERASED")) throw new Error(`the last npm start printed:\n${output.slice(-1500)}`);
      });
    }
    if (/^npm start -- ada$/m.test(script)) {
      await steps.check("getting-started: npm start brings the customer-list projection up to date", () => {
        if (!output.includes("projection customer-list: live, 0 event(s) behind")) throw new Error(`npm start printed:\n${output.slice(-1500)}`);
      });
    }
    if (script.includes("npm run codegen")) {
      await steps.check("getting-started: the event stored as v2 is read as v3 after the evolution", () => {
        if (!output.includes("stored as v2, read as v3")) throw new Error(`npm start printed:\n${output.slice(-1500)}`);
      });
    }
  }
  rmSync(home, { recursive: true, force: true });
  return cwd;
}
