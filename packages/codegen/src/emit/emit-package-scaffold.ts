/**
 * The non-generated files of an events package: `package.json` (codegen owns a few fields),
 * and `tsconfig.json`, `vitest.config.ts`, `eslint.config.js`, `src/index.ts`, created once like
 * the monorepo's other packages and then left to their owners.
 */
import type { ContextModel } from "../model/catalog-model.js";
import type { OwnedPackageFields, PackageFile } from "./package-file.js";

/** The version ranges the generated package depends on. */
export interface DependencyRanges {
  readonly runtime: string;
  readonly zod: string;
}

function ownedFields(context: ContextModel, ranges: DependencyRanges): OwnedPackageFields {
  return {
    name: context.config.package,
    type: "module",
    exports: {
      ".": {
        "@strata/source": "./src/index.ts",
        types: "./dist/index.d.ts",
        default: "./dist/index.js",
      },
    },
    dependencies: { "@strata/runtime": ranges.runtime, zod: ranges.zod },
  };
}

function initialPackageJson(context: ContextModel, owned: OwnedPackageFields): Record<string, unknown> {
  return {
    name: owned.name,
    version: "0.0.0",
    description: `The ${context.name} context's events: types, validators, event classes, personal-data maps and upcasters, generated from schemas/${context.name}/ by strata codegen.`,
    type: owned.type,
    license: "MIT",
    sideEffects: false,
    engines: { node: ">=20.19" },
    exports: owned.exports,
    files: ["dist", "README.md"],
    scripts: { test: "vitest run", lint: "eslint .", typecheck: "tsc --noEmit" },
    dependencies: owned.dependencies,
    devDependencies: {
      "@strata/eslint-config": "workspace:*",
      "@strata/tsconfig": "workspace:*",
      "@strata/vitest-config": "workspace:*",
      "@types/node": "catalog:",
      eslint: "catalog:",
      typescript: "catalog:",
      vitest: "catalog:",
    },
  };
}

const TSCONFIG = `${JSON.stringify(
  { extends: "@strata/tsconfig/base.json", compilerOptions: { rootDir: "." }, include: ["src", "test", "*.ts"] },
  null,
  2,
)}\n`;

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

/** The scaffold files of `context`'s events package. */
export function packageScaffold(context: ContextModel, ranges: DependencyRanges): PackageFile[] {
  const owned = ownedFields(context, ranges);
  return [
    { kind: "package-json", path: "package.json", owned, initial: initialPackageJson(context, owned) },
    { kind: "create-once", path: "tsconfig.json", content: TSCONFIG },
    { kind: "create-once", path: "vitest.config.ts", content: VITEST_CONFIG },
    { kind: "create-once", path: "eslint.config.js", content: ESLINT_CONFIG },
    { kind: "create-once", path: "src/index.ts", content: indexSource(context) },
  ];
}
