/**
 * The package.json of a new Strata application. Strata's own packages get `^` the version of this
 * CLI (they are released as one group); the peers of `@strata/runtime` (PGlite, Kysely, pg) are
 * listed too, so the application imports them itself and yarn, which installs no peers, works.
 */
import { readFileSync } from "node:fs";

/**
 * Ranges of the tools the application runs. Kept equal to the monorepo's pnpm catalog by a unit
 * test (init.unit.test.ts), so a new project gets the versions Strata is tested with.
 */
export const APP_TOOL_RANGES = {
  tsx: "^4.20.0",
  typescript: "~6.0.3",
  vitest: "~4.1.0",
  zod: "^4.1.0",
  "@types/node": "^22.0.0",
} as const;

interface OwnManifest {
  readonly version: string;
}

interface RuntimeManifest {
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

function readJson<T>(url: URL): T {
  return JSON.parse(readFileSync(url, "utf8")) as T;
}

/** The CLI's version: two folders up from both src/init/ and dist/init/. */
export function cliVersion(): string {
  return readJson<OwnManifest>(new URL("../../package.json", import.meta.url)).version;
}

/** `@strata/runtime`'s peers, from the installed runtime's manifest. */
function runtimePeers(): Readonly<Record<string, string>> {
  const url = new URL(import.meta.resolve("@strata/runtime/package.json"));
  const peers = { ...readJson<RuntimeManifest>(url).peerDependencies };
  // Optional (the Vitest helpers only); every other peer is listed, for yarn, which installs none.
  delete peers["vitest"];
  return peers;
}

/** The application's package.json, as an object. */
export function appManifest(name: string, strataRange = `^${cliVersion()}`): Record<string, unknown> {
  return {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=22" },
    scripts: {
      codegen: "strata codegen",
      check: "strata codegen --check && strata check",
      test: "vitest run",
      typecheck: "tsc --noEmit",
      start: "tsx src/main.ts",
      projections: "strata projections status",
    },
    dependencies: sorted({ "@strata/runtime": strataRange, ...runtimePeers(), zod: APP_TOOL_RANGES.zod }),
    devDependencies: sorted({
      "@strata/cli": strataRange,
      "@types/node": APP_TOOL_RANGES["@types/node"],
      tsx: APP_TOOL_RANGES.tsx,
      typescript: APP_TOOL_RANGES.typescript,
      vitest: APP_TOOL_RANGES.vitest,
    }),
  };
}

function sorted(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
