/**
 * The durable deadlines of process managers, in `<schema>.process_deadlines` (migration
 * `0006-process-managers`). Short statements only, never a transaction held across a step.
 *
 * @module
 */
import { CompiledQuery } from "kysely";
import type { QueryRunner } from "../storage/storage.js";

/** A deadline as stored. */
export interface StoredDeadline {
  readonly processId: string;
  readonly inputKey: string;
  readonly deadlineKey: string;
  readonly dueAt: Date;
  readonly data: unknown;
}

/** Statements on the deadlines table of one store schema, for one process manager. */
export interface DeadlineStore {
  /** Inserts deadlines; a row already there (a step applied again) stays as it is. */
  schedule(processId: string, deadlines: readonly Omit<StoredDeadline, "processId">[]): Promise<void>;
  /**
   * Drops the deadlines of `keys` (every one of the process when `keys` is `"all"`), except those
   * claimed right now: a deadline being fired may be the very one whose step cancels it (a step
   * that ends the process drops them all), and its row must outlive the step's commands, or a
   * failed send would never be tried again. The claimer deletes it with {@link DeadlineStore.done};
   * if it dies, the claim lapses and the deadline fires again, answering nothing new.
   */
  cancel(processId: string, keys: readonly string[] | "all"): Promise<void>;
  /** Claims up to `limit` due deadlines for `claimMs` (a crashed claimer's claim lapses). */
  claimDue(limit: number, claimMs: number): Promise<readonly StoredDeadline[]>;
  /** Deletes one deadline once its step is recorded and applied. */
  done(processId: string, inputKey: string): Promise<void>;
  /** How many are pending, and when the next falls due. */
  pending(): Promise<{ readonly count: number; readonly nextDueAt: Date | null }>;
}

interface Row {
  readonly process_id: string;
  readonly input_key: string;
  readonly deadline_key: string;
  readonly due_at: Date | string;
  readonly data: unknown;
}

/** Opens the statements of `manager`'s deadlines in `schema`. */
export function deadlineStore(runner: QueryRunner, schema: string, manager: string): DeadlineStore {
  const table = `"${schema}".process_deadlines`;
  const run = <R>(text: string, parameters: readonly unknown[]) => runner.execute<R>(CompiledQuery.raw(text, [...parameters]));
  return {
    schedule: async (processId, deadlines) => {
      if (deadlines.length === 0) return;
      await run(
        `INSERT INTO ${table} (manager, process_id, input_key, deadline_key, due_at, data)
         SELECT $1, $2, d.input_key, d.deadline_key, d.due_at, d.data
         FROM jsonb_to_recordset($3::jsonb) AS d(input_key text, deadline_key text, due_at timestamptz, data jsonb)
         ON CONFLICT DO NOTHING`,
        [manager, processId, JSON.stringify(deadlines.map((d) => ({ input_key: d.inputKey, deadline_key: d.deadlineKey, due_at: d.dueAt.toISOString(), data: d.data ?? null })))],
      );
    },
    cancel: async (processId, keys) => {
      const unclaimed = "(claimed_until IS NULL OR claimed_until < now())";
      if (keys === "all") await run(`DELETE FROM ${table} WHERE manager = $1 AND process_id = $2 AND ${unclaimed}`, [manager, processId]);
      else if (keys.length > 0) await run(`DELETE FROM ${table} WHERE manager = $1 AND process_id = $2 AND deadline_key = ANY($3::text[]) AND ${unclaimed}`, [manager, processId, keys]);
    },
    claimDue: async (limit, claimMs) => {
      // SKIP LOCKED: two runners never claim the same row; the claim outlives this statement.
      const result = await run<Row>(
        `UPDATE ${table} SET claimed_until = now() + make_interval(secs => $3::double precision / 1000)
         WHERE (manager, process_id, input_key) IN (
           SELECT manager, process_id, input_key FROM ${table}
           WHERE manager = $1 AND due_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
           ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING process_id, input_key, deadline_key, due_at, data`,
        [manager, limit, claimMs],
      );
      return result.rows
        .map((row) => ({ processId: row.process_id, inputKey: row.input_key, deadlineKey: row.deadline_key, dueAt: new Date(row.due_at), data: row.data }))
        .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    },
    done: async (processId, inputKey) => {
      await run(`DELETE FROM ${table} WHERE manager = $1 AND process_id = $2 AND input_key = $3`, [manager, processId, inputKey]);
    },
    pending: async () => {
      const result = await run<{ count: string | number; next: Date | string | null }>(`SELECT count(*) AS count, min(due_at) AS next FROM ${table} WHERE manager = $1`, [manager]);
      const row = result.rows[0];
      return { count: Number(row?.count ?? 0), nextDueAt: row?.next === null || row?.next === undefined ? null : new Date(row.next) };
    },
  };
}
