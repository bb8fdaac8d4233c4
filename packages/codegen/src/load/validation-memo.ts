/**
 * Verdicts of the load stage's ajv validations remembered by content: the meta-schema check of
 * every schema file, `context.json` and the lock file. Loading ajv and compiling the 2020-12
 * meta-schema costs about a tenth of a second, most of what `strata check` spends on an unchanged
 * catalog; with a memo that knows every document already passed, ajv is not loaded at all.
 * Only passes are remembered (a failing document is validated again, for its messages), under a
 * key that covers the document, the schema it is validated against and ajv's version, so a
 * change to any of them validates again.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The documents known to pass; see `ValidationMemoFile` (`@strata/codegen/check`) for the one kept on disk. */
export interface ValidationMemo {
  /** True when the document of `key` passed before. */
  has(key: string): boolean;
  /** Records that the document of `key` passed. */
  add(key: string): void;
}

let ajvVersion: string | undefined;

/** ajv's version, from its package.json (read, not loaded). */
function validatorVersion(): string {
  ajvVersion ??= (JSON.parse(readFileSync(createRequire(import.meta.url).resolve("ajv/package.json"), "utf8")) as { version: string }).version;
  return ajvVersion;
}

/** The memo key of `document` validated against `schema`. */
export function validationKey(schema: unknown, document: unknown): string {
  return createHash("sha256").update(`ajv@${validatorVersion()}\n${JSON.stringify(schema)}\n${JSON.stringify(document)}`).digest("base64url");
}

/**
 * Runs `validate` (which returns the problems found) unless `memo` knows the document passed;
 * records a pass. Without a memo it just validates.
 */
export function validateRemembered<P>(memo: ValidationMemo | undefined, schema: unknown, document: unknown, validate: () => readonly P[]): readonly P[] {
  if (memo === undefined) return validate();
  const key = validationKey(schema, document);
  if (memo.has(key)) return [];
  const problems = validate();
  if (problems.length === 0) memo.add(key);
  return problems;
}
