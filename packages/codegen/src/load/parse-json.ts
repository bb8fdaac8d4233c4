/**
 * Strict JSON parsing with a located error. `JSON.parse` decides validity; jsonc-parser (in
 * strict mode) is used only to find where the first syntax error is, because Node 20's
 * `JSON.parse` messages often carry no position.
 */
import { parse as scanJson, printParseErrorCode, type ParseError } from "jsonc-parser";

export type ParsedJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** Parses `text` (a leading byte-order mark is ignored); on failure the message names line and column. */
export function parseJson(text: string): ParsedJson {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const errors: ParseError[] = [];
    scanJson(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const offset = first?.offset ?? body.length;
    const { line, column } = lineAndColumn(body, offset);
    const what = first === undefined ? detail : `${describe(printParseErrorCode(first.error))} (${detail})`;
    return { ok: false, message: `malformed JSON at line ${line}, column ${column}: ${what}` };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split("\n");
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** `PropertyNameExpected` → `property name expected`. */
function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}
