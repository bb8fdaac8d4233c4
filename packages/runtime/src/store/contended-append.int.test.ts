/**
 * What an append that lost the race for its stream leaves behind in its transaction. The append
 * statements run here inside an explicit transaction only so that the transaction's settings can
 * be read after them; `ownTransaction` picks the statement text an autocommit append uses.
 */
import { CompiledQuery } from "kysely";
import { v7 as uuidv7 } from "uuid";
import { expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { isStrataError } from "../errors.js";
import { createStorage } from "../storage/create-storage.js";
import type { QueryRunner } from "../storage/storage.js";
import { describeEachBackend } from "../testing/backends.js";
import { appendBatch } from "./append.js";
import { prepareBatch } from "./prepare-events.js";
import { buildStatements } from "./statements.js";

const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });

async function synchronousCommit(tx: QueryRunner): Promise<string | undefined> {
  const { rows } = await tx.execute<{ setting: string }>(CompiledQuery.raw("SELECT current_setting('synchronous_commit') AS setting"));
  return rows[0]?.setting;
}

describeEachBackend("contended append", (backend) => {
  it("an append that wrote events keeps the synchronous commit; one that wrote nothing on its own transaction commits without waiting for the flush", async () => {
    const store = await backend.createStore(testRegistry);
    const schema = backend.freshSchema();
    await store.close();
    const mine = await backend.createStore(testRegistry, { schema });
    await mine.append("s", [deposit(1)], { expectedVersion: "no_stream" });
    const storage = createStorage(backend.database());
    const statements = buildStatements(schema);
    const rollback = new Error("rollback");
    const settingsAfter = async (expectedVersion: number, ownTransaction: boolean): Promise<{ readonly outcome: string; readonly setting: string | undefined }> => {
      let seen: { outcome: string; setting: string | undefined } | undefined;
      await storage
        .transaction(async (tx) => {
          const batch = prepareBatch(testRegistry, "s", [deposit(2)], expectedVersion, undefined);
          let outcome = "appended";
          try {
            await appendBatch(tx, statements, batch, !ownTransaction);
          } catch (error) {
            if (!isStrataError(error, "STREAM_CONFLICT")) throw error;
            outcome = `conflict at ${error.actualVersion}`;
          }
          seen = { outcome, setting: await synchronousCommit(tx) };
          throw rollback;
        })
        .catch((error: unknown) => {
          // The storage wraps what the work threw; the cause is ours.
          if (error !== rollback && (error as { cause?: unknown }).cause !== rollback) throw error;
        });
      if (seen === undefined) throw new Error("the transaction did not run");
      return seen;
    };
    try {
      expect(await settingsAfter(1, true)).toEqual({ outcome: "appended", setting: "on" });
      expect(await settingsAfter(5, true)).toEqual({ outcome: "conflict at 1", setting: "off" });
      // Inside a caller's transaction the statement never touches the setting: other writes may follow.
      expect(await settingsAfter(5, false)).toEqual({ outcome: "conflict at 1", setting: "on" });
    } finally {
      await storage.close();
    }
  });

  it("a conflict the statement saw in its own snapshot costs one round trip; a retried append with stored ids still replays", async () => {
    const store = await backend.createStore(testRegistry);
    const schema = backend.freshSchema();
    await store.close();
    const mine = await backend.createStore(testRegistry, { schema });
    const first = { ...deposit(1), id: uuidv7() };
    const original = await mine.append("s", [first], { expectedVersion: "no_stream" });
    await mine.append("s", [deposit(2)], { expectedVersion: 1 });
    const storage = createStorage(backend.database());
    const statements = buildStatements(schema);
    let statementsRun = 0;
    const counting: QueryRunner = {
      execute: (query) => {
        statementsRun += 1;
        return storage.execute(query);
      },
    };
    try {
      const stale = prepareBatch(testRegistry, "s", [{ ...deposit(3), id: uuidv7() }], 1, undefined);
      const conflict = await appendBatch(counting, statements, stale, false).catch((error: unknown) => error);
      expect(conflict).toMatchObject({ code: "STREAM_CONFLICT", expectedVersion: 1, actualVersion: 2 });
      expect(statementsRun).toBe(1);
      // The same ids again, as a retry after a lost reply: the statement sees them and asks again.
      statementsRun = 0;
      const retried = await appendBatch(counting, statements, prepareBatch(testRegistry, "s", [first], "no_stream", undefined), false);
      expect(retried).toEqual(original);
      expect(statementsRun).toBe(2);
    } finally {
      await storage.close();
    }
  });

  it("the row of a step that wrote nothing says whether an id is stored even when the step did not probe the ids", async () => {
    const store = await backend.createStore(testRegistry);
    const schema = backend.freshSchema();
    await store.close();
    const mine = await backend.createStore(testRegistry, { schema });
    const stored = { ...deposit(1), id: uuidv7() };
    await mine.append("s", [stored], { expectedVersion: "no_stream" });
    await mine.append("s", [deposit(2)], { expectedVersion: 1 });
    const storage = createStorage(backend.database());
    try {
      // $1 stream, $2 count, $3 ids, $4 types, $5 schema versions, $6 data, $7 metadata, $8 expected version.
      const seen = async (id: string) =>
        (
          await storage.execute<{ base: unknown; seen_version: unknown; seen_ids: boolean }>(
            CompiledQuery.raw(buildStatements(schema).append("extend-at", false, true), ["s", 1, [id], [stored.type], [1], JSON.stringify([stored.data]), null, 1]),
          )
        ).rows;
      expect(await seen(stored.id)).toEqual([expect.objectContaining({ base: null, seen_ids: true })]);
      expect(await seen(uuidv7())).toEqual([expect.objectContaining({ base: null, seen_ids: false })]);
      expect(Number((await seen(uuidv7()))[0]?.seen_version)).toBe(2);
    } finally {
      await storage.close();
    }
  });
});
