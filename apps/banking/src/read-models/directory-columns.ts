/**
 * How the customer directory stores its personal columns: sealed with each customer's own key
 * through the runtime's `personalColumns` (a dump of the directory reveals nothing; after erasure
 * the columns read back as the erased marker with no scrub), or as plain JSON when the app runs
 * with the explicit `"unencrypted"` opt-out.
 *
 * @module
 */
import type { PersonalColumns } from "@strata/runtime";

/** The runtime's `PersonalColumns`, or {@link plainColumns}. */
export type DirectoryColumns = PersonalColumns;

/** JSON in clear: for the `"unencrypted"` mode only, where the events themselves are plaintext too. */
export const plainColumns: DirectoryColumns = {
  seal: (_db, _subjectId, value) => Promise.resolve(JSON.stringify(value)),
  open: (stored) => Promise.resolve(JSON.parse(stored) as unknown),
};
