import { randomBytes } from "node:crypto";
import pg from "pg";
import { createCostProbe } from "./probe.js";
import type { CostProbe } from "./probe.js";

/**
 * The harness's own connection: creates and drops the per-run schemas and asks the server
 * what it is. Never used inside a timed section.
 */
export class Admin {
  readonly #client: pg.Client;
  readonly #created = new Set<string>();
  /** Random per process, so that two runs on one server never share a schema. */
  readonly runId = randomBytes(4).toString("hex");

  private constructor(client: pg.Client) {
    this.#client = client;
  }

  static async connect(connectionString: string): Promise<Admin> {
    const client = new pg.Client({ connectionString });
    await client.connect();
    return new Admin(client);
  }

  /** Creates a fresh schema named `bench_<target>_<runId>_<suffix>`. */
  async createSchema(target: string, suffix: string): Promise<string> {
    const name = `bench_${target}_${this.runId}_${suffix}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
    await this.#client.query(`CREATE SCHEMA "${name}"`);
    this.#created.add(name);
    return name;
  }

  async dropSchema(name: string): Promise<void> {
    await this.#client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    this.#created.delete(name);
  }

  /**
   * Runs ANALYZE on every table of `schema`, found through the catalog (the harness knows nothing
   * of Strata's tables). Read workloads call it after seeding so both sides are planned with
   * statistics, as tables in service are, rather than with a fresh table's guesses.
   */
  async analyzeSchema(schema: string): Promise<void> {
    const { rows } = await this.#client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = $1", [schema]);
    for (const { tablename } of rows) await this.#client.query(`ANALYZE "${schema}"."${tablename.replace(/"/g, '""')}"`);
  }

  /** A cost probe for the connections named `applicationName` (see probe.ts). */
  probe(applicationName: string): CostProbe {
    return createCostProbe(this.#client, applicationName);
  }

  /** Drops every schema this run created and has not dropped yet, then disconnects. */
  async close(): Promise<void> {
    for (const name of [...this.#created]) await this.dropSchema(name);
    await this.#client.end();
  }

  /** `SELECT version()` and the settings that decide commit latency. */
  async serverInfo(): Promise<{ version: string; settings: Record<string, string> }> {
    const version = await this.#client.query<{ version: string }>("SELECT version()");
    const settings = await this.#client.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name = ANY($1) ORDER BY name",
      [["fsync", "synchronous_commit", "shared_buffers", "wal_level", "max_connections"]],
    );
    return {
      version: version.rows[0]?.version ?? "unknown",
      settings: Object.fromEntries(settings.rows.map((row) => [row.name, row.setting])),
    };
  }
}
