/**
 * The read-model side of erasure: a projection handling `$strata.SubjectErased` calls
 * {@link scrubSubjectRows} to delete a subject's rows, or to overwrite their personal-data
 * columns with the erased marker, in the same transaction as its checkpoint.
 *
 * @module
 */
import { sql } from "kysely";
import type { Kysely } from "kysely";
import { ERASED } from "../crypto/erased.js";
import { InvalidArgumentError } from "../errors.js";

/** Which rows to scrub, and how. */
export type ScrubSubjectRowsOptions = {
  /** The read-model table, optionally schema-qualified (`"read_models.customers"`). */
  readonly table: string;
  /** The column holding the subject id (for example `customer_id`). */
  readonly subjectColumn: string;
  readonly subjectId: string;
} & (
  | { readonly mode: "delete" }
  /** Overwrite `piiColumns` with `{"$erased":true}` (JSON text; text and jsonb columns accept it). */
  | { readonly mode: "mark-erased"; readonly piiColumns: readonly string[] }
);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

function checkIdentifier(what: string, name: string): void {
  if (!IDENTIFIER.test(name)) throw new InvalidArgumentError(`scrubSubjectRows: ${what} "${name.slice(0, 80)}" is not a plain SQL identifier.`);
}

/**
 * Deletes, or marks as erased, every row of `table` whose `subjectColumn` equals `subjectId`.
 * Idempotent. Returns how many rows it changed.
 *
 * @example
 * ```ts
 * handle: async (events, { db }) => {
 *   for (const event of events) {
 *     if (isSubjectErasedEvent(event)) {
 *       await scrubSubjectRows(db, { table: "customers", subjectColumn: "customer_id", subjectId: event.data.subjectId, mode: "mark-erased", piiColumns: ["name", "email"] });
 *     }
 *   }
 * }
 * ```
 */
export async function scrubSubjectRows<DB>(db: Kysely<DB>, options: ScrubSubjectRowsOptions): Promise<number> {
  checkIdentifier("table", options.table);
  checkIdentifier("subject column", options.subjectColumn);
  const table = sql.table(options.table);
  const where = sql`${sql.ref(options.subjectColumn)} = ${options.subjectId}`;
  if (options.mode === "delete") {
    const result = await sql`DELETE FROM ${table} WHERE ${where}`.execute(db);
    return Number(result.numAffectedRows ?? 0n);
  }
  if (options.piiColumns.length === 0) throw new InvalidArgumentError(`scrubSubjectRows: mode "mark-erased" on ${options.table} needs at least one column in piiColumns.`);
  for (const column of options.piiColumns) checkIdentifier("column", column);
  const marker = sql.lit(JSON.stringify(ERASED));
  const assignments = sql.join(options.piiColumns.map((column) => sql`${sql.ref(column)} = ${marker}`));
  const result = await sql`UPDATE ${table} SET ${assignments} WHERE ${where}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
