import { isStrataError, StoreQueryError, StoreUnavailableError } from "../errors.js";
import type { StrataError } from "../errors.js";

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** SQLSTATEs that mean "the server is not there for you", not "your statement is wrong". */
function isUnavailableState(state: string): boolean {
  return state.startsWith("08") || state.startsWith("57P") || state === "53300" || state === "53100";
}

function field(error: unknown, name: string): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const value = (error as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * Turns whatever a driver threw into a Strata error, so no raw `pg` or PGlite error reaches a
 * caller. Both drivers report the server's SQLSTATE in `code` and the violated constraint in
 * `constraint`; errors without a SQLSTATE are socket-level (refused, reset, closed).
 */
export function wrapDriverError(error: unknown): StrataError {
  if (isStrataError(error)) return error;
  const code = field(error, "code");
  if (code !== undefined && SQLSTATE.test(code)) {
    if (isUnavailableState(code)) {
      return new StoreUnavailableError(`The database is unavailable (SQLSTATE ${code}); check that it is running and reachable.`, { cause: error });
    }
    if (code === "42P01" || code === "3F000") {
      return new StoreQueryError({ sqlState: code, cause: error, hint: "the store's tables are missing: run `strata migrate` or open the store with migrate: true" });
    }
    const constraint = field(error, "constraint");
    return new StoreQueryError({ sqlState: code, ...(constraint === undefined ? {} : { constraint }), cause: error });
  }
  const reason = code === undefined ? "" : ` (${code})`;
  return new StoreUnavailableError(`The database connection failed${reason}; check that the database is running and reachable.`, { cause: error });
}

/** Awaits `work`, rethrowing any driver error wrapped. */
export async function wrapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw wrapDriverError(error);
  }
}
