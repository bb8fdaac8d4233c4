import pg from "pg";
import type { BenchEvent, BenchTarget, ContendedWriter, ReadEvent, TargetSession } from "./bench-target.js";

/** PostgreSQL's SQLSTATE for a unique violation: another writer took this stream version. */
const UNIQUE_VIOLATION = "23505";

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

interface EventRow {
  readonly global_position: string;
  readonly stream_id: string;
  readonly version: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

function toReadEvent(row: EventRow): ReadEvent {
  return { streamId: row.stream_id, version: row.version, type: row.type, data: row.data, position: row.global_position };
}

/**
 * The baseline: what a careful developer writes with `pg` alone. One table, one INSERT per event
 * (one multi-row INSERT per batch), the unique (stream_id, version) constraint as the only
 * concurrency control, keyset paging for the global read. No validation, no upcasting.
 */
class RawPgSession implements TargetSession {
  readonly #pool: pg.Pool;
  readonly #table: string;

  constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#table = `${quoteIdent(schema)}.events`;
  }

  async create(): Promise<void> {
    await this.#pool.query(`CREATE TABLE IF NOT EXISTS ${this.#table} (
      global_position bigserial PRIMARY KEY,
      stream_id text NOT NULL,
      version int NOT NULL,
      type text NOT NULL,
      data jsonb NOT NULL,
      UNIQUE (stream_id, version))`);
  }

  async warmUp(concurrency: number): Promise<void> {
    await Promise.all(Array.from({ length: concurrency }, () => this.#pool.query("SELECT 1")));
  }

  async append(streamId: string, events: readonly BenchEvent[], expected: number | "no_stream"): Promise<void> {
    await this.#insert(streamId, events, expected === "no_stream" ? 0 : expected);
  }

  async #insert(streamId: string, events: readonly BenchEvent[], afterVersion: number, client: pg.Pool | pg.PoolClient = this.#pool): Promise<void> {
    const values: unknown[] = [];
    const tuples = events.map((event, i) => {
      values.push(streamId, afterVersion + i + 1, event.type, JSON.stringify(event.data));
      const p = i * 4;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4})`;
    });
    await client.query(`INSERT INTO ${this.#table} (stream_id, version, type, data) VALUES ${tuples.join(", ")}`, values);
  }

  /**
   * What a careful developer writes: the writer keeps the version it last wrote, inserts the next
   * one, and only on a unique violation reads `max(version)` again. Each append checks a
   * connection out explicitly and releases it cleanly: `pool.query()` releases its client with
   * the error of a failed query, and `pg` then destroys that connection, so every conflict cost
   * a new connection (the baseline ran at a fifth of this speed).
   */
  contendedWriter(streamId: string): ContendedWriter {
    let known = 0;
    return {
      append: async (event) => {
        const connection = await this.#pool.connect();
        try {
          for (let conflicts = 0; ; conflicts++) {
            try {
              await this.#insert(streamId, [event], known, connection);
              known += 1;
              return conflicts;
            } catch (error) {
              if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
              const { rows } = await connection.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int AS v FROM ${this.#table} WHERE stream_id = $1`, [streamId]);
              known = rows[0]?.v ?? 0;
            }
          }
        } finally {
          connection.release();
        }
      },
    };
  }

  async seedHistoric(streamId: string, events: readonly { readonly event: BenchEvent }[]): Promise<void> {
    for (let i = 0; i < events.length; i += 500) {
      await this.#insert(
        streamId,
        events.slice(i, i + 500).map(({ event }) => event),
        i,
      );
    }
  }

  async readStream(streamId: string): Promise<ReadEvent[]> {
    const { rows } = await this.#pool.query<EventRow>(
      `SELECT global_position, stream_id, version, type, data FROM ${this.#table} WHERE stream_id = $1 ORDER BY version`,
      [streamId],
    );
    return rows.map(toReadEvent);
  }

  async readAll(pageSize: number): Promise<ReadEvent[]> {
    const events: ReadEvent[] = [];
    let after = "0";
    for (;;) {
      const { rows } = await this.#pool.query<EventRow>(
        `SELECT global_position, stream_id, version, type, data FROM ${this.#table}
         WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
        [after, pageSize],
      );
      for (const row of rows) events.push(toReadEvent(row));
      if (rows.length < pageSize) return events;
      after = rows.at(-1)?.global_position ?? after;
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/** The raw-`pg` baseline target. */
export function rawPgTarget(connectionString: string): BenchTarget {
  return {
    name: "raw",
    description:
      "pg.Pool, one INSERT per event (multi-row INSERT per batch), unique(stream_id, version), keyset paging; W5 writers keep a checked-out client and their last version, re-reading max(version) on a unique violation",
    connectionString,
    async open(schema, { poolSize, connectionString: tagged }) {
      const pool = new pg.Pool({ connectionString: tagged, max: poolSize });
      pool.on("error", () => {
        // An idle client lost its connection; the next query reports it. Nothing to do here.
      });
      const session = new RawPgSession(pool, schema);
      await session.create();
      return session;
    },
  };
}
