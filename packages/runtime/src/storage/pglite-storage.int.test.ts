import { PGlite } from "@electric-sql/pglite";
import { CompiledQuery } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createPGliteStorage } from "./pglite-storage.js";

describe("PGlite storage", () => {
  const instance = new PGlite();
  afterAll(() => instance.close());

  it("serialises concurrent transactions of one storage", async () => {
    const storage = createPGliteStorage({ instance });
    await storage.execute(CompiledQuery.raw("CREATE TABLE counter (n int)"));
    await storage.execute(CompiledQuery.raw("INSERT INTO counter VALUES (0)"));
    await Promise.all(
      Array.from({ length: 10 }, () =>
        storage.transaction(async (tx) => {
          const { rows } = await tx.execute<{ n: number }>(CompiledQuery.raw("SELECT n FROM counter"));
          await new Promise((resolve) => setTimeout(resolve, 1));
          await tx.execute(CompiledQuery.raw("UPDATE counter SET n = $1", [(rows[0]?.n ?? 0) + 1]));
        }),
      ),
    );
    expect((await storage.execute<{ n: number }>(CompiledQuery.raw("SELECT n FROM counter"))).rows).toEqual([{ n: 10 }]);
  });
});
