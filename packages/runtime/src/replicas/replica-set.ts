/**
 * The replicas a replicated store reads from: one storage per replica, which of them is down,
 * and how far each has replayed the primary's WAL.
 *
 * @module
 */
import { CompiledQuery } from "kysely";
import pg from "pg";
import { isStrataError } from "../errors.js";
import { createPostgresStorage } from "../storage/postgres-storage.js";
import type { Storage } from "../storage/storage.js";
import { hasReached } from "./wal-position.js";

/**
 * How to reach one streaming replica (a hot standby of the store's primary). `name` identifies it
 * in telemetry (`strata.replica.name`); default: `host:port` of the connection string, else
 * `replica-<index>`.
 */
export type ReplicaConnection = (
  | {
      readonly connectionString: string;
      /** Connections to this replica (default 10). */
      readonly poolSize?: number;
      /** How long connecting may take before the replica counts as down (default 2 000 ms). */
      readonly connectTimeoutMs?: number;
    }
  | { readonly pool: pg.Pool }
) & { readonly name?: string };

/** One replica with its health. */
export interface Replica {
  readonly index: number;
  /** Its name in telemetry. */
  readonly name: string;
  readonly storage: Storage;
  /** Until when (epoch ms) the replica is skipped after it failed; 0 = healthy. */
  downUntil: number;
  /** The last replay position read from it, if any. */
  replayed: string | undefined;
}

/** Whether a replica's error means "read elsewhere" rather than "the read is wrong". */
export function isReplicaFailure(error: unknown): boolean {
  if (isStrataError(error, "STORE_UNAVAILABLE")) return true;
  // 40001: a standby cancels a query that conflicts with WAL replay ("conflict with recovery").
  return isStrataError(error, "STORE_QUERY_FAILED") && error.sqlState === "40001";
}

/** Opens a storage per replica; pools given by the caller stay theirs. */
export function openReplicas(connections: readonly ReplicaConnection[]): { readonly replicas: readonly Replica[]; close(): Promise<void> } {
  const owned: pg.Pool[] = [];
  const replicas = connections.map((connection, index): Replica => {
    let pool: pg.Pool;
    if ("pool" in connection) pool = connection.pool;
    else {
      pool = new pg.Pool({ connectionString: connection.connectionString, max: connection.poolSize ?? 10, connectionTimeoutMillis: connection.connectTimeoutMs ?? 2_000 });
      // A replica that goes away ends its connections: pg then emits "error" on the pool (idle
      // clients) or on the client itself (checked out, even with its query already failed).
      // Unhandled, either would end the process; the failed query still rejects, and the read
      // falls back to the primary.
      pool.on("error", () => undefined);
      pool.on("connect", (client) => client.on("error", () => undefined));
      owned.push(pool);
    }
    return { index, name: connection.name ?? defaultName(connection, index), storage: createPostgresStorage({ pool }), downUntil: 0, replayed: undefined };
  });
  return { replicas, close: async () => void (await Promise.all(owned.map((pool) => pool.end()))) };
}

/** `host:port` of a URL connection string (never its user or password), else `replica-<index>`. */
function defaultName(connection: ReplicaConnection, index: number): string {
  if ("connectionString" in connection) {
    try {
      const url = new URL(connection.connectionString);
      if (url.hostname !== "") return `${url.hostname}:${url.port === "" ? "5432" : url.port}`;
    } catch {
      // A key=value connection string: no host to show without parsing it.
    }
  }
  return `replica-${index}`;
}

/** Reads how far `replica` has replayed; `undefined` when it is not in recovery (not a standby). */
export async function readReplayPosition(replica: Replica): Promise<string | undefined> {
  const { rows } = await replica.storage.execute<{ lsn: string | null }>(CompiledQuery.raw("SELECT pg_last_wal_replay_lsn()::text AS lsn"));
  const lsn = rows[0]?.lsn ?? undefined;
  if (lsn !== undefined) replica.replayed = lsn;
  return lsn;
}

/**
 * Waits until `replica` has replayed WAL up to `target`, polling every `pollMs`, for at most
 * `timeoutMs`. Resolves `true` when it has, `false` on timeout or when the server is no standby.
 */
export async function waitForReplay(replica: Replica, target: string, timeoutMs: number, pollMs: number): Promise<boolean> {
  if (replica.replayed !== undefined && hasReached(replica.replayed, target)) return true;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const replayed = await readReplayPosition(replica);
    if (replayed === undefined) return false;
    if (hasReached(replayed, target)) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
  }
}
