/**
 * Kysely's migrator looks for its bookkeeping tables by listing the tables of every schema in
 * the database; when another process drops an unrelated schema during that listing, Postgres
 * answers `3F000 invalid_schema_name`. Nothing was applied then, so the run is simply retried.
 *
 * @module
 */

const ATTEMPTS = 5;

/** Whether `error` (or its cause) is that answer about a schema other than `schema`. */
function isConcurrentSchemaDrop(error: unknown, schema: string): boolean {
  for (let current: unknown = error, depth = 0; typeof current === "object" && current !== null && depth < 4; current = (current as { cause?: unknown }).cause, depth += 1) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (code === "3F000" && typeof message === "string") return !message.includes(`"${schema}"`);
  }
  return false;
}

/** Runs a migration of `schema`, again (up to five times) when another schema's drop interrupted the migrator's table listing. */
export async function retryOnConcurrentSchemaDrop<T>(schema: string, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isConcurrentSchemaDrop(error, schema)) throw error;
    }
  }
}
