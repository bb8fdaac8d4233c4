/**
 * Creates a Strata application from the template in `templates/app/`: a schema catalog with one
 * context and one event in two versions (with personal data), the events generated into
 * `src/events/<context>/` (imported by relative path: no workspace, no build step, the same under
 * npm, pnpm and yarn), a decider with given/when/then tests, a projection with its spec,
 * `strata.config.ts`, and scripts for codegen, check and test.
 */
import { constants } from "node:fs";
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CommandIo, ExitCode } from "../commands/command.js";
import { appManifest } from "./app-manifest.js";
import { appReadme } from "./app-readme.js";
import type { PackageManager } from "./package-manager.js";

/** Where the template lives: two folders up from both src/init/ and dist/init/. */
const TEMPLATE = fileURLToPath(new URL("../../templates/app/", import.meta.url));
const NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** What {@link createProject} needs. */
export interface CreateProjectOptions {
  /** The folder to create, or an existing one whose files the template does not collide with. */
  readonly dir: string;
  /** The package name (default: the folder's name, lower-cased). */
  readonly name?: string;
  /** Whose commands the next steps and the README print. */
  readonly packageManager: PackageManager;
  /** Strata's version range in the new package.json (default: `^` this CLI's version). */
  readonly strataRange?: string;
  /** Runs `strata codegen` in the new project (the dispatcher's `main`). */
  readonly codegen: (root: string) => Promise<ExitCode>;
  readonly io: Pick<CommandIo, "stdout" | "stderr">;
}

/** A problem that stops the scaffold before it writes anything. */
export class InitError extends Error {
  readonly code = "STRATA_INIT";
}

async function templateFiles(dir: string, base = dir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? templateFiles(path.join(dir, entry.name), base) : [path.relative(base, path.join(dir, entry.name))])));
  return nested.flat();
}

/** The file name in the project: npm drops `.gitignore` from packages, so the template ships `gitignore`. */
function target(file: string): string {
  return file === "gitignore" ? ".gitignore" : file;
}

/** Creates the project; resolves to the files written, relative to `dir`. Throws {@link InitError} before writing when a file exists. */
export async function createProject(options: CreateProjectOptions): Promise<readonly string[]> {
  const dir = path.resolve(options.dir);
  const name = options.name ?? path.basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, "-");
  if (!NAME.test(name)) throw new InitError(`"${name}" is not a valid npm package name; pass --name <name>.`);
  const exists = (file: string): Promise<boolean> => stat(path.join(dir, file)).then(() => true, () => false);
  const templated = await templateFiles(TEMPLATE);
  const files = [...templated.map(target), ".yarnrc.yml"];
  const existing = [];
  for (const file of files) if (await exists(file)) existing.push(file);
  if (existing.length > 0) throw new InitError(`${dir} already has ${existing.slice(0, 5).join(", ")}${existing.length > 5 ? ", …" : ""}; strata init never overwrites a file.`);

  for (const file of templated) {
    await mkdir(path.dirname(path.join(dir, target(file))), { recursive: true });
    await copyFile(path.join(TEMPLATE, file), path.join(dir, target(file)), constants.COPYFILE_EXCL);
  }
  const contextFile = path.join(dir, "schemas", "shop", "context.json");
  const context = JSON.parse(await readFile(contextFile, "utf8")) as Record<string, unknown>;
  const scope = name.startsWith("@") ? name.split("/")[0] : `@${name.replace(/^[._]+/, "")}`;
  await writeFile(contextFile, `${JSON.stringify({ ...context, package: `${scope}/shop-events` }, null, 2)}\n`);
  const manifestFile = path.join(dir, "package.json");
  const current = (await exists("package.json")) ? (JSON.parse(await readFile(manifestFile, "utf8")) as Record<string, unknown>) : undefined;
  await writeFile(manifestFile, `${JSON.stringify(mergeManifest(current, appManifest(name, options.strataRange)), null, 2)}\n`);
  if (current !== undefined && current["type"] !== "module") options.io.stderr(`strata init: package.json has no "type": "module"; the scaffold's TypeScript is ES modules, so add it.\n`);
  if (!(await exists("README.md"))) await writeFile(path.join(dir, "README.md"), appReadme(name, options.packageManager));
  // Yarn 2+ would otherwise use Plug'n'Play, which tsx and vitest's module loading do not follow.
  await writeFile(path.join(dir, ".yarnrc.yml"), "nodeLinker: node-modules\n");
  const generated = await options.codegen(dir);
  if (generated !== 0) throw new InitError(`strata codegen failed in ${dir} (exit ${generated}); the schemas under schemas/ are as the template wrote them.`);
  return [...files, "package.json"];
}

/** An existing package.json keeps every field and script it has; the scaffold only adds what is missing. */
function mergeManifest(current: Record<string, unknown> | undefined, scaffold: Record<string, unknown>): Record<string, unknown> {
  if (current === undefined) return scaffold;
  const merged: Record<string, unknown> = { ...scaffold, ...current };
  for (const field of ["scripts", "dependencies", "devDependencies"]) {
    merged[field] = { ...(scaffold[field] as object), ...(current[field] as object | undefined) };
  }
  return merged;
}
