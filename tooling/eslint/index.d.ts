import type { ConfigArray } from "typescript-eslint";

/** Strata's shared ESLint flat config for one package. */
export declare function strataEslintConfig(options: { tsconfigRootDir: string; ignores?: string[] }): ConfigArray;
