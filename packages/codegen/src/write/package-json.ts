/**
 * Keeps an events package's `package.json` in step with the catalog while leaving everything
 * else in it alone: codegen owns `name`, `type`, `exports` with its published twin
 * `publishConfig.exports`, and its two dependencies; `version` belongs to changesets and every
 * other field (the rest of `publishConfig` included) to the package's maintainers.
 */
import { isDeepStrictEqual } from "node:util";

import { publishedExports } from "../emit/emit-package-scaffold.js";
import type { OwnedPackageFields } from "../emit/package-file.js";
import { isStrataCodegenError, StrataCodegenError } from "../errors.js";

/** Code of {@link PackageJsonError}. */
export const PACKAGE_JSON_ERROR_CODE = "STRATA_CODEGEN_PACKAGE_JSON";

/** Thrown when an existing `package.json` of an events package cannot be read as a JSON object. */
export class PackageJsonError extends StrataCodegenError {
  /** Repo-relative path of the file. */
  readonly file: string;

  constructor(file: string, cause: unknown) {
    super(PACKAGE_JSON_ERROR_CODE, `${file} is not a JSON object; fix or delete it and run strata codegen again.`, { cause });
    this.file = file;
  }
}

/** True when `error` is a {@link PackageJsonError} (checked by code). */
export function isPackageJsonError(error: unknown): error is PackageJsonError {
  return isStrataCodegenError(error) && error.code === PACKAGE_JSON_ERROR_CODE;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function sortedRecord(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The `package.json` text to have on disk: `initial` when there is none yet, otherwise
 * `existing` with the owned fields applied (key order kept, new keys last, `dependencies`
 * sorted). Returns `undefined` when the existing file already agrees, so it is not rewritten.
 */
export function mergePackageJson(
  file: string,
  existing: string | undefined,
  owned: OwnedPackageFields,
  initial: Readonly<Record<string, unknown>>,
): string | undefined {
  if (existing === undefined) return `${JSON.stringify(initial, null, 2)}\n`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(existing);
  } catch (error) {
    throw new PackageJsonError(file, error);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new PackageJsonError(file, undefined);
  const current = parsed as Record<string, unknown>;
  const merged: Record<string, unknown> = {
    ...current,
    name: owned.name,
    type: owned.type,
    exports: owned.exports,
    // `pnpm publish` ships this map instead of `exports`, so it has to follow `exports`.
    publishConfig: { ...asRecord(current["publishConfig"]), exports: publishedExports(owned.exports) },
    dependencies: sortedRecord({ ...asRecord(current["dependencies"]), ...owned.dependencies }),
  };
  if (isDeepStrictEqual(merged, current)) return undefined;
  return `${JSON.stringify(merged, null, 2)}\n`;
}
