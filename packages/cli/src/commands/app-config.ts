/**
 * The application's `strata.config.ts` (or `.mts`, `.js`, `.mjs`), as the commands that act on
 * the application's projections read it: `strata projections` runs them, `strata erase` learns
 * from them which read models and subscriptions an erasure must reach. Its default export (or its
 * `config` export) is `{ database, schema?, registry, projections?, subscriptions? }`, the
 * options of the runtime's `createProjectionEngine` (see `defineConfig`).
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The config file names looked for in the current directory, in this order. */
export const CONFIG_NAMES = ["strata.config.ts", "strata.config.mts", "strata.config.js", "strata.config.mjs"] as const;

/** A config that is missing where it was asked for, or exports the wrong shape. */
export class AppConfigError extends Error {
  readonly code = "STRATA_APP_CONFIG";
}

/** A loaded config: the file and its exported object. */
export interface LoadedAppConfig {
  readonly file: string;
  readonly config: Record<string, unknown>;
}

/** The config file: `given` (relative to `cwd`) or the first of {@link CONFIG_NAMES} in `cwd`; `undefined` when none is there and none was given. */
export async function findAppConfig(cwd: string, given: string | undefined): Promise<string | undefined> {
  const candidates = given === undefined ? CONFIG_NAMES.map((name) => path.join(cwd, name)) : [path.resolve(cwd, given)];
  for (const file of candidates) {
    if (await stat(file).then((s) => s.isFile(), () => false)) return file;
  }
  if (given !== undefined) throw new AppConfigError(`config file ${given} not found.`);
  return undefined;
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  if (/\.m?ts$/.test(file)) {
    // Node 20 cannot import TypeScript by itself; tsx's loader can, per call.
    const { tsImport } = await import("tsx/esm/api");
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** Imports the config `file` and checks that it exports `database` and `registry`. */
export async function loadAppConfig(cwd: string, file: string): Promise<LoadedAppConfig> {
  const module = await importModule(file);
  // A .ts config outside a "type": "module" package is loaded as CommonJS: its default export
  // then sits one level deeper.
  const exported = (module["default"] ?? module["config"]) as Record<string, unknown> | undefined;
  const nested = exported?.["default"] ?? exported?.["config"];
  const config = (exported !== undefined && exported["database"] === undefined && typeof nested === "object" ? nested : exported) as Record<string, unknown> | undefined;
  if (typeof config !== "object" || config === null || config["database"] === undefined || config["registry"] === undefined) {
    throw new AppConfigError(`${path.relative(cwd, file)} must export (default or "config") an object with "database" and "registry", and "projections" and/or "subscriptions".`);
  }
  return { file, config };
}

/** What an erasure needs to know of a projection or subscription: its name, kind and the types it handles. */
export interface ConfiguredHandler {
  readonly name: string;
  readonly kind: "projection" | "subscription";
  readonly handles: readonly string[];
}

/** The projections and subscriptions a config lists, by name, kind and handled types. */
export function configuredHandlers(config: Record<string, unknown>): ConfiguredHandler[] {
  const units = [...asArray(config["projections"]), ...asArray(config["subscriptions"])];
  return units.flatMap((unit) => {
    if (typeof unit !== "object" || unit === null) return [];
    const { name, kind, handles } = unit as { name?: unknown; kind?: unknown; handles?: unknown };
    if (typeof name !== "string" || !Array.isArray(handles)) return [];
    return [{ name, kind: kind === "subscription" ? "subscription" : "projection", handles: handles.filter((type): type is string => typeof type === "string") }];
  });
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}
