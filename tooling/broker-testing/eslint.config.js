import { strataEslintConfig } from "@strata/eslint-config";

export default strataEslintConfig({ tsconfigRootDir: import.meta.dirname });
