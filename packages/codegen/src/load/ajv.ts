/**
 * The one ajv (draft 2020-12) instance of the load stage, and a formatter that turns ajv's
 * errors into one readable message per JSON Pointer.
 */
import { createRequire } from "node:module";
import type * as AjvModule from "ajv/dist/2020.js";
import type { Ajv2020, ErrorObject } from "ajv/dist/2020.js";

let instance: Ajv2020 | undefined;

/** A shared ajv instance: strict mode off, all errors, `regex` format checked as a Unicode RegExp. */
export function sharedAjv(): Ajv2020 {
  if (instance === undefined) {
    // Loaded on first use with `require` (ajv is CommonJS): an ES import would make Node scan
    // its source for export names first, which `strata check` pays on every run.
    const { Ajv2020: Ajv } = createRequire(import.meta.url)("ajv/dist/2020.js") as typeof AjvModule;
    instance = new Ajv({ strict: false, allErrors: true });
    instance.addFormat("regex", (value: string) => {
      try {
        new RegExp(value, "u");
        return true;
      } catch {
        return false;
      }
    });
  }
  return instance;
}

/** An ajv failure as pointer + message. */
export interface LocatedMessage {
  readonly pointer: string;
  readonly message: string;
}

/**
 * Groups ajv errors by instance path. Within a group the branch errors of an `anyOf`/`oneOf`
 * are joined with "or"; the combinator's own generic error is dropped when branches explain it.
 */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined): LocatedMessage[] {
  const groups = new Map<string, { alternatives: boolean; messages: string[] }>();
  for (const error of errors ?? []) {
    const group = groups.get(error.instancePath) ?? { alternatives: false, messages: [] };
    groups.set(error.instancePath, group);
    if (error.keyword === "anyOf" || error.keyword === "oneOf") {
      group.alternatives = true;
      continue;
    }
    const message = describeAjvError(error);
    if (!group.messages.includes(message)) group.messages.push(message);
  }
  return [...groups].map(([pointer, group]) => ({
    pointer,
    message: group.messages.length === 0 ? "does not match any allowed form" : group.messages.join(group.alternatives ? " or " : "; "),
  }));
}

function describeAjvError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "enum":
      return `must be one of ${(params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `must be ${JSON.stringify(params["allowedValue"])}`;
    case "type":
      return `must be of type ${String(params["type"])}`;
    case "additionalProperties":
      return `must not have property ${JSON.stringify(params["additionalProperty"])}`;
    case "required":
      return `must have property ${JSON.stringify(params["missingProperty"])}`;
    case "format":
      return `must be a valid ${String(params["format"])}`;
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}
