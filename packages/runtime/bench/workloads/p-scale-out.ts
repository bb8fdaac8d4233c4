import { createProjectionEngine, createProjectionWorker } from "@strata/runtime";
import type { ProjectionWorker } from "@strata/runtime";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { timed } from "../harness/workload.js";
import type { Measurement, Workload } from "../harness/workload.js";
import { balancesProjection, checkBalances, depositRegistry, seed } from "./p-projections.js";

const PARTITIONS = 4;
const WORKER_COUNTS = [1, 2, 4] as const;

/**
 * P1 scaled out: the same 100,000 seeded deposits (100 streams, see P) folded into the same
 * balance table by a projection split into 4 partitions by stream hash, run by 1, 2 and 4
 * workers (`createProjectionWorker`, each with its own pool of 2 connections, all in this
 * process; each prepared before the clock), and, for reference in the same run, by the single-runner engine (P1). Each figure
 * uses its own projection name and read model over the same events; the clock runs from the
 * workers' start (joining and sharing the partitions included) until every event is applied.
 * On one machine the workers share its cores with the server: the figures show what the
 * partitioning costs and how far concurrency alone carries, not what more machines would give.
 */
export const pScaleOut: Workload = {
  id: "PW",
  title: "Projections scaled out: P1 catch-up with 1, 2 and 4 workers",
  figures: [
    { id: "PW/engine", label: "P1 catch-up, single-runner engine (reference)", unit: "events/s", goal: 0, goalOn: "none" },
    ...WORKER_COUNTS.map((workers) => ({
      id: `PW/${workers}`,
      label: `P1 catch-up, ${PARTITIONS} partitions, ${workers} worker${workers === 1 ? "" : "s"}`,
      unit: "events/s" as const,
      goal: 0,
      goalOn: "none" as const,
    })),
  ],
  poolSize: 4,
  targets: ["strata"],
  async run(run) {
    const client = new pg.Client({ connectionString: run.databaseUrl });
    await client.connect();
    const readModels: string[] = [];
    // Short names: the run's schema name plus a suffix would pass Postgres' 63-byte limit.
    const prefix = `pw_${randomBytes(5).toString("hex")}`;
    try {
      const appended = await seed(run);
      await run.analyze();
      const total = [...appended.values()].reduce((n, events) => n + events.length, 0);
      const measurements: Measurement[] = [];

      const engineModel = `${prefix}_engine`;
      readModels.push(engineModel);
      const engine = await createProjectionEngine({
        database: { kind: "postgres", connectionString: run.databaseUrl, poolSize: 4 },
        schema: run.schema,
        migrate: false,
        registry: depositRegistry,
        projections: [balancesProjection(engineModel, "bench-balances-engine")],
      });
      try {
        const ms = await timed(() => engine.catchUp());
        measurements.push({ figure: "PW/engine", operations: total, ms, check: (await checkBalances(client, engineModel, appended)).result() });
      } finally {
        await engine.close();
      }

      for (const count of WORKER_COUNTS) {
        const readModel = `${prefix}_w${count}`;
        readModels.push(readModel);
        const projection = balancesProjection(readModel, `bench-balances-w${count}`);
        let applied = 0;
        let done: () => void = () => undefined;
        const finished = new Promise<void>((resolve) => (done = resolve));
        const workers: ProjectionWorker[] = Array.from({ length: count }, (_, w) =>
          createProjectionWorker({
            database: { kind: "postgres", connectionString: run.databaseUrl, poolSize: 2 },
            schema: run.schema,
            migrate: false,
            registry: depositRegistry,
            projection,
            partitions: PARTITIONS,
            workerId: `bench-${run.tag}-w${w}`,
            leaseMs: 5_000,
            rebalanceMs: 50,
            pollMs: 5,
            onProgress: (progress) => {
              applied += progress.applied;
              if (applied >= total) done();
            },
          }),
        );
        try {
          // Migrations, partition rows and statistics: deployment work, before the clock.
          for (const worker of workers) await worker.prepare();
          const ms = await timed(async () => {
            await Promise.all(workers.map((worker) => worker.start()));
            await finished;
          });
          measurements.push({ figure: `PW/${count}`, operations: total, ms, check: (await checkBalances(client, readModel, appended)).result(), details: { workers: count, partitions: PARTITIONS } });
        } finally {
          await Promise.all(workers.map((worker) => worker.close()));
        }
      }
      return measurements;
    } finally {
      for (const readModel of readModels) await client.query(`DROP SCHEMA IF EXISTS "${readModel}" CASCADE`).catch(() => undefined);
      await client.end();
    }
  },
};
