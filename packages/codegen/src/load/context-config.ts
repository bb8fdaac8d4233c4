/** Validates `schemas/<context>/context.json`. */
import { COMPATIBILITY_MODES, type ContextConfig } from "../model/catalog-model.js";
import { formatAjvErrors, sharedAjv } from "./ajv.js";
import type { ProblemList } from "./problem-list.js";
import type { RawContext } from "./read-catalog.js";
import { validateRemembered, type ValidationMemo } from "./validation-memo.js";

const CONTEXT_CONFIG_SCHEMA = {
  type: "object",
  properties: {
    // npm package name rules: lower case, optional scope, URL-safe characters.
    package: { type: "string", pattern: "^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$", maxLength: 214 },
    // A relative, forward-slash path inside the repository.
    directory: { type: "string", pattern: "^(?!/)(?!.*(^|/)\\.\\.?(/|$))[^\\\\:]+$" },
    compatibility: { enum: COMPATIBILITY_MODES },
  },
  required: ["package", "directory", "compatibility"],
  additionalProperties: false,
} as const;

/** The valid configs by context name; problems for the others. Also refuses a package or directory used twice. `memo` skips configs known to pass. */
export function checkContextConfigs(contexts: readonly RawContext[], problems: ProblemList, memo?: ValidationMemo): Map<string, ContextConfig> {
  const configs = new Map<string, ContextConfig>();
  const owners = new Map<string, string>();
  for (const context of contexts) {
    const file = context.config;
    if (file === undefined || !file.parsed) continue;
    const invalid = validateRemembered(memo, CONTEXT_CONFIG_SCHEMA, file.value, () => {
      const validate = sharedAjv().compile(CONTEXT_CONFIG_SCHEMA);
      return validate(file.value) ? [] : formatAjvErrors(validate.errors);
    });
    if (invalid.length > 0) {
      for (const { pointer, message } of invalid) {
        problems.add("invalid-context-config", file.rel, pointer, `context.json ${pointer === "" ? "" : `${pointer.slice(1)} `}${message}`);
      }
      continue;
    }
    const config = file.value as ContextConfig;
    for (const [field, value] of [["package", config.package], ["directory", config.directory]] as const) {
      const owner = owners.get(`${field}:${value}`);
      if (owner === undefined) owners.set(`${field}:${value}`, file.rel);
      else problems.add("invalid-context-config", file.rel, `/${field}`, `${field} ${JSON.stringify(value)} is already used by ${problems.show(owner)}`);
    }
    configs.set(context.name, config);
  }
  return configs;
}
