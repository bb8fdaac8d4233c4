// The smoke both proofs run in a fresh project outside the workspace: install the Strata
// packages with npm, write a schema, `npx strata codegen`, build the generated events package,
// type-check a strict consumer with `tsc --noEmit`, then append and read an event on PGlite.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { run } from "./exec.mjs";
import {
  BANKING_EXPECTED,
  BANKING_SOURCE,
  CONSUMER_TSCONFIG,
  EVENTS_BUILD_TSCONFIG,
  EVENTS_DIRECTORY,
  EVENTS_PACKAGE,
  EVENTS_TSCONFIG,
  LIBCHECK_TSCONFIG,
  MAIN_EXPECTED,
  MAIN_SOURCE,
  SCHEMA_FILES,
} from "./smoke-project.mjs";
import { ROOT } from "./workspace.mjs";

const NPM_FLAGS = ["--no-audit", "--no-fund", "--loglevel=error"];

function write(root, file, content) {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), content);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The TypeScript version the monorepo builds with, so the consumer checks with the same compiler. */
function typescriptVersion() {
  return readJson(join(ROOT, "node_modules", "typescript", "package.json")).version;
}

function badRanges(manifest) {
  return ["dependencies", "devDependencies", "peerDependencies"].flatMap((field) =>
    Object.entries(manifest[field] ?? {})
      .filter(([, range]) => /^(workspace|catalog):/.test(String(range)))
      .map(([name, range]) => ({ field, name, range })),
  );
}

/**
 * What is wrong with the events package codegen scaffolded, for a project outside the Strata
 * monorepo, and the repair that lets the rest of the smoke run. Every problem is a failure of
 * the proof; the repair only keeps the later steps informative.
 */
function scaffoldProblems(app) {
  const dir = join(app, EVENTS_DIRECTORY);
  const manifest = readJson(join(dir, "package.json"));
  const problems = [];
  const repairs = [];
  const installed = readJson(join(app, "node_modules", "@strata", "runtime", "package.json")).version;
  const zod = readJson(join(app, "node_modules", "@strata", "codegen", "package.json")).dependencies?.zod ?? "^4.1.0";
  for (const { field, name, range } of badRanges(manifest)) {
    problems.push(`package.json ${field}.${name} is "${range}": npm cannot install it outside a pnpm workspace`);
    repairs.push(() => {
      if (field === "devDependencies") delete manifest.devDependencies[name];
      else manifest[field][name] = name === "@strata/runtime" ? `^${installed}` : name === "zod" ? zod : "*";
    });
  }
  if (manifest.scripts?.build === undefined) {
    problems.push(`package.json has no "build" script (expected "tsc -p tsconfig.build.json")`);
    repairs.push(() => (manifest.scripts = { ...manifest.scripts, build: "tsc -p tsconfig.build.json" }));
  }
  const exported = JSON.stringify(manifest.publishConfig?.exports ?? manifest.exports ?? {});
  if (exported.includes("@strata/source") && manifest.publishConfig?.exports === undefined) {
    problems.push(`package.json exports carry the "@strata/source" condition (src/ is not published) and no publishConfig.exports overrides them`);
  }
  const tsconfig = existsSync(join(dir, "tsconfig.json")) ? readFileSync(join(dir, "tsconfig.json"), "utf8") : "";
  if (tsconfig.includes("@strata/tsconfig")) {
    problems.push(`tsconfig.json extends "@strata/tsconfig/base.json", which only exists inside the Strata monorepo`);
    repairs.push(() => writeFileSync(join(dir, "tsconfig.json"), EVENTS_TSCONFIG));
  }
  if (!existsSync(join(dir, "tsconfig.build.json"))) {
    problems.push(`tsconfig.build.json is missing`);
    repairs.push(() => writeFileSync(join(dir, "tsconfig.build.json"), EVENTS_BUILD_TSCONFIG));
  }
  const repair = () => {
    for (const fix of repairs) fix();
    writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  };
  return { problems, repair };
}

async function runAndCompare(app, entry, expected) {
  const { stdout } = await run("node", [join("dist", entry)], { cwd: app, timeoutMs: 120_000 });
  const line = stdout.trim().split("\n").at(-1) ?? "";
  if (line !== JSON.stringify(expected)) throw new Error(`dist/${entry} printed ${line || "(nothing)"}\nexpected ${JSON.stringify(expected)}`);
}

/**
 * Runs the smoke in the empty folder `app`. `packages` are the npm install specs of the Strata
 * packages (tarball paths, or `name@version` with `env` pointing npm at a registry);
 * `withBanking` also installs and exercises `@strata/banking-events`.
 */
export async function runConsumerSmoke(steps, { app, packages, env = {}, withBanking = false }) {
  const npm = (args, options = {}) => run("npm", args, { cwd: app, env, ...options });
  await steps.step("create a fresh project outside the workspace", () => {
    write(app, "package.json", `${JSON.stringify({ name: "strata-smoke-app", private: true, type: "module", workspaces: ["packages/*"] }, null, 2)}\n`);
    write(app, "tsconfig.json", CONSUMER_TSCONFIG);
    for (const [file, content] of Object.entries(SCHEMA_FILES)) write(app, file, content);
  });
  await steps.step("npm install the Strata packages", () =>
    npm(["install", ...NPM_FLAGS, ...packages, `typescript@${typescriptVersion()}`, "@types/node@^20.19.0"]),
  );
  await steps.step("strata --help runs from the bin on Node without a TypeScript loader", async () => {
    const { stdout } = await npm(["exec", "--", "strata", "--help"]);
    if (!stdout.includes("codegen")) throw new Error(`strata --help did not list the codegen command:\n${stdout}`);
  });
  await steps.step("npx strata codegen writes the events package", async () => {
    await npm(["exec", "--", "strata", "codegen"]);
    const index = join(app, EVENTS_DIRECTORY, "src", "generated", "index.gen.ts");
    if (!existsSync(index)) throw new Error(`codegen did not write ${EVENTS_DIRECTORY}/src/generated/index.gen.ts`);
  });
  const { problems, repair } = scaffoldProblems(app);
  const scaffoldOk = await steps.check("the scaffolded events package installs and builds with npm", () => {
    if (problems.length > 0) throw new Error(`${EVENTS_DIRECTORY}:\n- ${problems.join("\n- ")}\n(repaired in the smoke project so the remaining steps still run)`);
  });
  if (!scaffoldOk) repair();
  await steps.step("npm install links the events package", () => npm(["install", ...NPM_FLAGS]));
  await steps.step(`npm run build -w ${EVENTS_PACKAGE}`, () => npm(["run", "build", "-w", EVENTS_PACKAGE]));
  write(app, "src/main.ts", MAIN_SOURCE);
  if (withBanking) write(app, "src/banking.ts", BANKING_SOURCE);
  await steps.step("tsc --noEmit type-checks the consumer", () => npm(["exec", "--", "tsc", "--noEmit", "-p", "."]));
  await steps.check("Strata's published .d.ts type-check with skipLibCheck off", async () => {
    write(app, "tsconfig.libcheck.json", LIBCHECK_TSCONFIG);
    const result = await npm(["exec", "--", "tsc", "-p", "tsconfig.libcheck.json"], { tailChars: 1_000_000 }).then(() => "", (error) => String(error.output ?? error));
    const ours = result.split("\n").filter((line) => /node_modules\/@strata\/|^packages\//.test(line));
    if (ours.length > 0) throw new Error(ours.join("\n"));
  });
  await steps.step("tsc builds the consumer", () => npm(["exec", "--", "tsc", "-p", "."]));
  await steps.step("append and read an event on PGlite", () => runAndCompare(app, "main.js", MAIN_EXPECTED));
  if (withBanking) await steps.step("append and read a @strata/banking-events event on PGlite", () => runAndCompare(app, "banking.js", BANKING_EXPECTED));
}
