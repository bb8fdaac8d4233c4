// Checks on a packed package.json that publint and attw do not make: the monorepo-only
// "@strata/source" condition and pnpm's workspace:/catalog: ranges must never ship, and the
// fields the issue asks of every publishable package must be there.
const REQUIRED = ["exports", "files", "engines", "sideEffects", "license", "repository", "description", "type"];
/** A package that only ships a command (create-strata) has a `bin` and nothing to import. */
const REQUIRED_BIN_ONLY = ["bin", "files", "engines", "license", "repository", "description", "type"];

/** Whether the package ships only a command: a `bin`, no `exports` or `main`. */
export function isBinOnly(manifest) {
  return manifest.bin !== undefined && manifest.exports === undefined && manifest.main === undefined;
}
const DEPENDENCY_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies"];

function conditions(value, path, found) {
  if (typeof value !== "object" || value === null) return found;
  for (const [key, inner] of Object.entries(value)) {
    const at = `${path}[${JSON.stringify(key)}]`;
    if (key === "@strata/source") found.push(at);
    conditions(inner, at, found);
  }
  return found;
}

/** Every problem with the published manifest `manifest` (empty when it is fit to ship). */
export function manifestProblems(manifest) {
  const problems = [];
  for (const field of isBinOnly(manifest) ? REQUIRED_BIN_ONLY : REQUIRED) if (manifest[field] === undefined) problems.push(`"${field}" is missing`);
  if (manifest.type !== "module") problems.push(`"type" must be "module" (the packages are ESM only)`);
  for (const path of conditions(manifest.exports, "exports", [])) problems.push(`${path} points at sources that are not shipped`);
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog|link|file):/.test(String(range))) problems.push(`${field}.${name} is "${range}", which npm cannot install`);
    }
  }
  const entries = manifest.exports && typeof manifest.exports === "object" ? Object.entries(manifest.exports) : [];
  for (const [subpath, target] of entries) {
    if (target && typeof target === "object" && Object.keys(target)[0] !== "types") problems.push(`exports[${JSON.stringify(subpath)}] must list "types" first`);
  }
  return problems;
}
