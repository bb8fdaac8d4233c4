/**
 * The non-generated files of an events package: `package.json` (codegen owns a few fields),
 * `tsconfig.json`, `tsconfig.build.json` and `src/index.ts`, created once and then left to their
 * owners. Two layouts: inside the Strata monorepo the package uses the monorepo's shared tooling
 * packages (`@strata/tsconfig`, vitest and eslint configs) and the `@strata/source` condition;
 * anywhere else it is self-contained, so npm, yarn or pnpm can install, build and publish it.
 */
import { readFileSync } from "node:fs";

import type { ContextModel } from "../model/catalog-model.js";
import type { OwnedPackageFields, PackageFile } from "./package-file.js";

/**
 * The version ranges the generated package depends on. A `workspace:` range for
 * `@strata/runtime` means the package lives in the Strata monorepo itself (only there is
 * `@strata/runtime` a workspace package), and selects the monorepo layout; any other range
 * selects the self-contained layout.
 */
export interface DependencyRanges {
  /** The `@strata/runtime` range, e.g. `workspace:^` in the monorepo or `^0.3.0` elsewhere. */
  readonly runtime: string;
  /** The `zod` range; defaults to the range `@strata/codegen` itself depends on. */
  readonly zod?: string;
}

/** The export condition that points the monorepo's packages at their TypeScript sources. */
export const SOURCE_CONDITION = "@strata/source";

/**
 * `exports` as published: the same map without the {@link SOURCE_CONDITION} condition, whose
 * `src/` target is not in the tarball.
 */
export function publishedExports(exports: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const strip = (value: unknown): unknown =>
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).filter(([key]) => key !== SOURCE_CONDITION).map(([key, inner]) => [key, strip(inner)]))
      : value;
  return strip(exports) as Record<string, unknown>;
}

/**
 * Ranges for a self-contained package when `@strata/codegen`'s own manifest still holds
 * `catalog:` ones (running from the monorepo's sources). A unit test keeps them equal to the
 * pnpm catalog; a published codegen has real ranges in its manifest and never needs these.
 */
const FALLBACK_RANGES: Readonly<Record<string, string>> = { zod: "^4.1.0", typescript: "~6.0.3", "@types/node": "^20.19.0" };

interface Manifest {
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

let codegenManifest: Manifest | undefined;

/** `@strata/codegen`'s package.json: two folders up from both `src/emit/` and `dist/emit/`. */
function ownManifest(): Manifest {
  codegenManifest ??= JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as Manifest;
  return codegenManifest;
}

/** Codegen's own range for `name`; outside the monorepo, never a pnpm-only protocol. */
function ownRange(name: string, inMonorepo: boolean): string {
  const manifest = ownManifest();
  const range = manifest.dependencies?.[name] ?? manifest.devDependencies?.[name];
  if (range !== undefined && (inMonorepo || !range.includes(":"))) return range;
  return FALLBACK_RANGES[name] ?? "*";
}

function ownedFields(context: ContextModel, ranges: DependencyRanges, inMonorepo: boolean): OwnedPackageFields {
  const entry = { types: "./dist/index.d.ts", default: "./dist/index.js" };
  return {
    name: context.config.package,
    type: "module",
    exports: { ".": inMonorepo ? { [SOURCE_CONDITION]: "./src/index.ts", ...entry } : entry },
    dependencies: { "@strata/runtime": ranges.runtime, zod: ranges.zod ?? ownRange("zod", inMonorepo) },
  };
}

/** Empties `dist/` first so a deleted source leaves no stale module behind. */
const BUILD_SCRIPT = `node -e "fs.rmSync('dist',{recursive:true,force:true})" && tsc -p tsconfig.build.json`;

function initialPackageJson(context: ContextModel, owned: OwnedPackageFields, inMonorepo: boolean): Record<string, unknown> {
  return {
    name: owned.name,
    version: "0.0.0",
    description: `The ${context.name} context's events: types, validators, event classes, personal-data maps and upcasters, generated from schemas/${context.name}/ by strata codegen.`,
    type: owned.type,
    license: "MIT",
    sideEffects: false,
    engines: { node: ">=22" },
    exports: owned.exports,
    publishConfig: { access: "public", exports: publishedExports(owned.exports) },
    files: ["dist", "README.md", "CHANGELOG.md"],
    scripts: inMonorepo
      ? { test: "vitest run", lint: "eslint .", typecheck: "tsc --noEmit", build: BUILD_SCRIPT }
      : { typecheck: "tsc --noEmit", build: BUILD_SCRIPT },
    dependencies: owned.dependencies,
    devDependencies: inMonorepo
      ? {
          "@strata/eslint-config": "workspace:*",
          "@strata/tsconfig": "workspace:*",
          "@strata/vitest-config": "workspace:*",
          "@types/node": "catalog:",
          eslint: "catalog:",
          typescript: "catalog:",
          vitest: "catalog:",
        }
      : { "@types/node": ownRange("@types/node", false), typescript: ownRange("typescript", false) },
  };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const MONOREPO_TSCONFIG = json({
  extends: "@strata/tsconfig/base.json",
  compilerOptions: { rootDir: "." },
  include: ["src", "test", "*.ts"],
});

/** The monorepo's strict settings, spelled out because `@strata/tsconfig` is not published. */
const STANDALONE_TSCONFIG = json({
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2023"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    isolatedModules: true,
    skipLibCheck: true,
    declaration: true,
    noEmit: true,
  },
  include: ["src"],
});

const BUILD_TSCONFIG_EXCLUDE = `["src/**/*.test.ts", "src/**/*.test-d.ts", "src/**/*.fixture.ts", "src/**/testing/**"]`;

const MONOREPO_BUILD_TSCONFIG = `// The published build: ESM + .d.ts from src/ into dist/ with tsc, so what ships is exactly
// what was type-checked. Workspace dependencies resolve to their built dist/ types (no
// "@strata/source" condition), so dependencies build first (turbo: build dependsOn ^build).
{
  "extends": "./tsconfig.json",
  "compilerOptions": {
    "noEmit": false,
    "rootDir": "src",
    "outDir": "dist",
    "customConditions": [],
    "declaration": true,
    "sourceMap": false,
    "declarationMap": false
  },
  "include": ["src"],
  "exclude": ${BUILD_TSCONFIG_EXCLUDE}
}
`;

const STANDALONE_BUILD_TSCONFIG = `// The published build (npm run build): ESM + .d.ts from src/ into dist/ with tsc, so what
// ships is exactly what was type-checked.
{
  "extends": "./tsconfig.json",
  "compilerOptions": {
    "noEmit": false,
    "rootDir": "src",
    "outDir": "dist",
    "declaration": true,
    "sourceMap": false,
    "declarationMap": false
  },
  "include": ["src"],
  "exclude": ${BUILD_TSCONFIG_EXCLUDE}
}
`;

const VITEST_CONFIG = `import { defineStrataConfig } from "@strata/vitest-config";

export default defineStrataConfig();
`;

const ESLINT_CONFIG = `import { strataEslintConfig } from "@strata/eslint-config";

export default strataEslintConfig({ tsconfigRootDir: import.meta.dirname });
`;

function indexSource(context: ContextModel): string {
  return `/**
 * \`${context.config.package}\`: the ${context.name} context's events, generated from \`schemas/${context.name}/\`
 * by \`strata codegen\`.
 *
 * This file was created once by codegen and is yours to edit. The generated index it re-exports
 * names every export one by one, and gains new events when codegen runs.
 *
 * @packageDocumentation
 */
export * from "./generated/index.gen.js";
`;
}

/**
 * The scaffold files of `context`'s events package. Outside the monorepo there is no vitest or
 * eslint config: the monorepo's shared ones are not published, and which test runner and linter
 * a repository uses is its own choice.
 */
export function packageScaffold(context: ContextModel, ranges: DependencyRanges): PackageFile[] {
  const inMonorepo = ranges.runtime.startsWith("workspace:");
  const owned = ownedFields(context, ranges, inMonorepo);
  const files: PackageFile[] = [
    { kind: "package-json", path: "package.json", owned, initial: initialPackageJson(context, owned, inMonorepo) },
    { kind: "create-once", path: "tsconfig.json", content: inMonorepo ? MONOREPO_TSCONFIG : STANDALONE_TSCONFIG },
    { kind: "create-once", path: "tsconfig.build.json", content: inMonorepo ? MONOREPO_BUILD_TSCONFIG : STANDALONE_BUILD_TSCONFIG },
  ];
  if (inMonorepo) {
    files.push(
      { kind: "create-once", path: "vitest.config.ts", content: VITEST_CONFIG },
      { kind: "create-once", path: "eslint.config.js", content: ESLINT_CONFIG },
    );
  }
  files.push({ kind: "create-once", path: "src/index.ts", content: indexSource(context) });
  return files;
}
