/**
 * Subjects and routing keys from an event: `<prefix>.<category>.<type>` by default, where the
 * category is the stream id up to its first `-` (`account-42` → `account`). Each part is escaped
 * into a single broker token: letters, digits, `_` and `-` stay, every other UTF-8 byte becomes
 * `%XX` (so `.`, `*`, `>`, `#`, spaces and `%` itself can never split a token or act as a
 * wildcard, and the mapping is reversible).
 *
 * @module
 */
import type { RecordedEvent } from "../store/recorded-event.js";
import { InvalidArgumentError } from "../errors.js";

/** Maps an event to the subject, routing key or topic it is published to. */
export type DestinationMapping = (event: RecordedEvent) => string;

const SAFE = /^[A-Za-z0-9_-]+$/;
const encoder = new TextEncoder();

/**
 * Escapes `token` into one subject or routing-key token (see the module comment). The empty
 * string becomes `_`, so a token that is exactly `_` is escaped (`%5F`) to stay reversible.
 *
 * @example
 * ```ts
 * escapeToken("$strata.SubjectErased"); // "%24strata%2ESubjectErased"
 * ```
 */
export function escapeToken(token: string): string {
  if (token === "") return "_";
  if (token === "_") return "%5F";
  if (SAFE.test(token)) return token;
  let escaped = "";
  for (const char of token) {
    if (/^[A-Za-z0-9_-]$/.test(char)) escaped += char;
    else for (const byte of encoder.encode(char)) escaped += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return escaped;
}

/** The inverse of {@link escapeToken} (for tools that read subjects back). */
export function unescapeToken(token: string): string {
  return token === "_" ? "" : decodeURIComponent(token);
}

/** A stream's category: its id up to the first `-`, or the whole id when it has none. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf("-");
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

/**
 * The default mapping: `<prefix>.<category>.<type>` with each part escaped, or
 * `<category>.<type>` when `prefix` is empty.
 *
 * @example
 * ```ts
 * categoryTypeDestination("bank")(event); // "bank.account.MoneyDeposited" for stream "account-42"
 * ```
 */
export function categoryTypeDestination(prefix: string): DestinationMapping {
  if (prefix !== "" && !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix)) {
    throw new InvalidArgumentError(`Destination prefix "${prefix.slice(0, 80)}" must be dot-separated tokens of letters, digits, "_" or "-".`);
  }
  const head = prefix === "" ? "" : `${prefix}.`;
  return (event) => `${head}${escapeToken(streamCategory(event.streamId))}.${escapeToken(event.type)}`;
}
