import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { CompiledQuery } from "kysely";
import { describe, expect, it } from "vitest";
import { createPostgresStorage } from "./postgres-storage.js";
import { preparable } from "./prepared-statements.js";

const url = process.env["DATABASE_URL"];

describe.skipIf(url === undefined || url === "")("PostgreSQL storage on a server whose connections drop", () => {
  it("survives its connections being terminated (idle and checked out) and reconnects for the next statement", async () => {
    const name = `strata-drop-${randomBytes(4).toString("hex")}`;
    const connectionString = `${url}${url?.includes("?") === true ? "&" : "?"}application_name=${name}`;
    const storage = createPostgresStorage({ connectionString, poolSize: 4 });
    const admin = createPostgresStorage({ connectionString: url as string, poolSize: 1 });
    const terminate = async () =>
      (await admin.execute<{ n: number }>(CompiledQuery.raw("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1", [name]))).rows[0]?.n ?? 0;
    try {
      // Fill the pool with idle connections, and hold one checked out inside a transaction.
      await Promise.all([1, 2, 3].map(() => storage.execute(CompiledQuery.raw("SELECT pg_sleep(0.05)", []))));
      let release!: () => void;
      const held = storage.transaction(async (tx) => {
        await tx.execute(CompiledQuery.raw("SELECT 1", []));
        await new Promise<void>((resolve) => (release = resolve));
        await tx.execute(CompiledQuery.raw("SELECT 1", []));
      });
      await delay(100);
      expect(await terminate()).toBeGreaterThanOrEqual(3);
      // The dropped connections report their errors now: none may escape as an uncaught 'error' event.
      await delay(300);
      release();
      await expect(held).rejects.toThrow();
      const { rows } = await storage.execute<{ one: number }>(CompiledQuery.raw("SELECT 1 AS one", []));
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await storage.close();
      await admin.close();
    }
  });
});

describe.skipIf(url === undefined || url === "")("PostgreSQL storage, prepared statements", () => {
  it("returns the same row objects as pg: columns in select order, a later duplicate winning, odd names kept as columns", async () => {
    const storage = createPostgresStorage({ connectionString: url as string, poolSize: 1 });
    const sql = preparable(
      `SELECT $1::text AS "b", 2::int8 AS a, '{"x":[1]}'::jsonb AS data, NULL::jsonb AS metadata, 1 AS dup, 2 AS dup, 'p' AS "__proto__", 'q' AS "we""ird" WHERE $2::boolean`,
    );
    try {
      const prepared = (await storage.execute<Record<string, unknown>>(CompiledQuery.raw(sql, ["one", true]))).rows;
      const plain = (await storage.execute<Record<string, unknown>>(CompiledQuery.raw(`${sql} `, ["one", true]))).rows;
      expect(prepared).toEqual(plain);
      const [row] = prepared;
      expect(Object.keys(row ?? {})).toEqual(Object.keys(plain[0] ?? {}));
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      expect(row).toEqual({ b: "one", a: "2", data: { x: [1] }, metadata: null, dup: 2, ["__proto__"]: "p", 'we"ird': "q" });
      expect((await storage.execute(CompiledQuery.raw(sql, ["one", false]))).rows).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
