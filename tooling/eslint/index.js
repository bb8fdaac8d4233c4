// Shared ESLint flat config.
//
// ESLint + typescript-eslint because the policy we need is type-aware: exhaustive switches over
// event unions need the type checker, and no other linter offers that with import-cycle checks.
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/**
 * @param {{ tsconfigRootDir: string, ignores?: string[] }} options
 * @returns {import("typescript-eslint").ConfigArray}
 */
export function strataEslintConfig({ tsconfigRootDir, ignores = [] }) {
  return tseslint.config(
    {
      ignores: ["dist/**", "node_modules/**", "coverage/**", "test-results/**", "**/*.gen.ts", ...ignores],
    },
    ...tseslint.configs.recommended,
    {
      files: ["**/*.ts"],
      languageOptions: {
        parserOptions: { projectService: true, tsconfigRootDir },
      },
      plugins: { "import-x": importX },
      settings: {
        "import-x/resolver-next": [importX.createNodeResolver({ conditionNames: ["@strata/source", "types", "import", "default"] })],
      },
      rules: {
        "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "separate-type-imports" }],
        "@typescript-eslint/no-import-type-side-effects": "error",
        "@typescript-eslint/switch-exhaustiveness-check": [
          "error",
          { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
        ],
        "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        "import-x/no-cycle": ["error", { ignoreExternal: true }],
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                group: ["@strata/*/src", "@strata/*/src/**", "**/packages/*/src/**", "**/apps/*/src/**"],
                message: "Import another package through its public entry, never its src/ folder.",
              },
              {
                group: ["@strata/*/dist", "@strata/*/dist/**"],
                message: "Import another package through its public entry, never its build output.",
              },
            ],
          },
        ],
      },
    },
  );
}
