/**
 * Which package manager the user runs, so that every command Strata prints is one they can paste:
 * `npx strata codegen` under npm, `pnpm strata codegen` under pnpm, `yarn strata codegen` under
 * yarn. npm, pnpm and yarn all announce themselves to the processes they start through the
 * `npm_config_user_agent` variable (`pnpm/10.34.9 npm/? node/v22…`).
 */

/** The package managers a scaffolded project works with. */
export const PACKAGE_MANAGERS = ["npm", "pnpm", "yarn"] as const;

/** One of {@link PACKAGE_MANAGERS}. */
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** The package manager named by `npm_config_user_agent`; npm when none is (a plain `node` call). */
export function detectPackageManager(env: Readonly<Record<string, string | undefined>> = process.env): PackageManager {
  const agent = env["npm_config_user_agent"] ?? "";
  if (agent.startsWith("pnpm/")) return "pnpm";
  if (agent.startsWith("yarn/")) return "yarn";
  return "npm";
}

/** How to run a package.json script: `npm run test`, `pnpm test`, `yarn test`. */
export function runScript(manager: PackageManager, script: string): string {
  return manager === "npm" ? `npm run ${script}` : `${manager} ${script}`;
}

/** How to run the project's `strata` bin: `npx strata`, `pnpm strata`, `yarn strata`. */
export function strataCommand(manager: PackageManager): string {
  return manager === "npm" ? "npx strata" : `${manager} strata`;
}

/** How to install a project's dependencies. */
export function installCommand(manager: PackageManager): string {
  return `${manager} install`;
}
