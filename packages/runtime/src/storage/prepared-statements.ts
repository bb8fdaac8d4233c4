/**
 * Statements worth preparing: the store's hot statements (append, page reads), built once per
 * store. On PostgreSQL, a statement registered here runs as a named prepared statement on each
 * pooled connection (parsed and planned once per connection, then only bound and executed);
 * anything else runs as an unnamed statement, parsed and planned on every call. PGlite ignores
 * the registry.
 *
 * Only fixed texts belong here (a text per schema and statement kind): every registered text
 * becomes one prepared statement on every connection that runs it.
 *
 * @module
 */

const names = new Map<string, string>();

/** Registers `text` as a prepared statement and returns it unchanged. */
export function preparable(text: string): string {
  if (!names.has(text)) names.set(text, `strata_${names.size + 1}`);
  return text;
}

/** The prepared statement name of `text`, or undefined when it was not registered. */
export function preparedName(text: string): string | undefined {
  return names.get(text);
}
