/** Finds the subschemas that describe a data path in a resolved schema. */
import { isRecord, isSchemaValue } from "./schema-walk.js";

/** The in-place subschemas of `node` that describe its own data: `allOf`/`anyOf`/`oneOf` branches, `then`, `else`, `dependentSchemas`. */
export function inPlaceSubschemas(node: unknown): unknown[] {
  if (!isRecord(node)) return [];
  const found: unknown[] = [];
  for (const combinator of ["allOf", "anyOf", "oneOf"]) {
    const branches = node[combinator];
    if (Array.isArray(branches)) found.push(...branches);
  }
  for (const keyword of ["then", "else"]) if (isSchemaValue(node[keyword])) found.push(node[keyword]);
  const dependent = node["dependentSchemas"];
  if (isRecord(dependent)) found.push(...Object.values(dependent));
  return found;
}

/**
 * The subschemas that may describe the data at `tokens` (`*` = any array item). Properties are
 * looked up through in-place subschemas too ({@link inPlaceSubschemas}). Empty when no schema
 * names the path.
 */
export function findSchemasAt(root: unknown, tokens: readonly string[]): unknown[] {
  let nodes: unknown[] = [root];
  for (const token of tokens) nodes = nodes.flatMap((node) => children(node, token));
  return nodes;
}

function children(node: unknown, token: string): unknown[] {
  if (!isRecord(node)) return [];
  const found: unknown[] = [];
  if (token === "*") {
    if (isSchemaValue(node["items"])) found.push(node["items"]);
  } else {
    const properties = node["properties"];
    if (isRecord(properties) && Object.hasOwn(properties, token)) found.push(properties[token]);
    const prefix = node["prefixItems"];
    if (/^(0|[1-9][0-9]*)$/.test(token) && Array.isArray(prefix) && prefix[Number(token)] !== undefined) found.push(prefix[Number(token)]);
  }
  for (const branch of inPlaceSubschemas(node)) found.push(...children(branch, token));
  return found;
}

/** True when the schema admits only strings (`type: "string"`, a string enum/const, or an allOf branch that is). */
export function isStringTyped(node: unknown): boolean {
  if (!isRecord(node)) return false;
  const type = node["type"];
  if (type === "string") return true;
  if (Array.isArray(type) && type.length > 0 && type.every((t) => t === "string")) return true;
  if (typeof node["const"] === "string") return true;
  const values = node["enum"];
  if (Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === "string")) return true;
  const allOf = node["allOf"];
  return Array.isArray(allOf) && allOf.some(isStringTyped);
}
