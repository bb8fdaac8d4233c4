/**
 * The `format` values Strata asserts, each as the zod schema of a valid string. zod's own
 * validators are used where they agree with the JSON Schema Test Suite; the others are exact
 * RFC checks (RFC 3339 date-time/time/duration, RFC 5321 email, RFC 3986 URI) declared once per
 * validator (runtime-helpers.ts, format-patterns.ts).
 */
import type { ts } from "ts-morph";

import { SUPPORTED_FORMATS } from "../../model/supported-keywords.js";
import type { SupportedFormat } from "../../model/supported-keywords.js";
import type { EmitContext } from "./emit-context.js";
import { useHelper } from "./emit-context.js";
import { call, id, object, str, zod } from "./zod-ast.js";
import { ZodEmitError } from "./zod-emit-error.js";

function isSupportedFormat(format: string): format is SupportedFormat {
  return (SUPPORTED_FORMATS as readonly string[]).includes(format);
}

function refined(context: EmitContext, helper: "isDateTime" | "isTime", message: string): ts.Expression {
  return call(zod("string"), "refine", id(useHelper(context, helper)), str(message));
}

function matching(context: EmitContext, pattern: "durationPattern" | "uriPattern", message: string): ts.Expression {
  return call(zod("string"), "regex", id(useHelper(context, pattern)), str(message));
}

/** The zod schema of the strings that satisfy `format`. */
export function formatSchema(format: string, pointer: string, context: EmitContext): ts.Expression {
  if (!isSupportedFormat(format)) {
    throw new ZodEmitError("unsupported-format", pointer, `format ${JSON.stringify(format)} is not one Strata asserts (${SUPPORTED_FORMATS.join(", ")})`);
  }
  switch (format) {
    // z.uuid() checks the RFC 9562 version and variant; JSON Schema accepts any hex layout.
    case "uuid":
      return zod("guid");
    case "date":
      return zod("iso.date");
    case "ipv4":
      return zod("ipv4");
    case "ipv6":
      return zod("ipv6");
    // z.iso.datetime() and z.iso.time() refuse leap seconds and a lower-case `t`/`z`.
    case "date-time":
      return refined(context, "isDateTime", "Invalid RFC 3339 date-time");
    case "time":
      return refined(context, "isTime", "Invalid RFC 3339 time");
    // z.iso.duration() accepts fractions and skipped units that RFC 3339 forbids.
    case "duration":
      return matching(context, "durationPattern", "Invalid RFC 3339 duration");
    // z.email() refuses quoted local parts and address literals that RFC 5321 allows.
    case "email":
      return zod("email", object([["pattern", id(useHelper(context, "emailPattern"))], ["error", str("Invalid email address")]], false));
    // z.url() follows the WHATWG URL parser, which accepts characters RFC 3986 forbids.
    case "uri":
      return matching(context, "uriPattern", "Invalid URI");
  }
}

