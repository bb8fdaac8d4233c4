import type { CompiledQuery, QueryResult } from "kysely";
import { describe, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { QueryRunner } from "../storage/storage.js";
import { readAll } from "./read-all.js";
import { buildStatements } from "./statements.js";
import { createUpcastOnRead } from "./upcast-on-read.js";

const row = (transactionId: string, position: string) => ({
  horizon: "100",
  stream_id: `s-${position}`,
  event_id: `e-${position}`,
  version: "1",
  global_position: position,
  transaction_id: transactionId,
  type: "AccountOpened",
  schema_version: 1,
  data: { owner: "Ada" },
  metadata: null,
  recorded_at_ms: 0,
});

/** A runner that answers every statement with `rows`, as a server would send them. */
const answering = (rows: readonly unknown[]): QueryRunner => ({
  execute: <R>(_query: CompiledQuery): Promise<QueryResult<R>> => Promise.resolve({ rows: [...rows] as R[] }),
});

describe("readAll page order", () => {
  const upcast = createUpcastOnRead(testRegistry);

  it("hands out a page in (transaction id, position) order, comparing them as numbers", async () => {
    const rows = [row("9", "12"), row("10", "2"), row("9", "3"), row("10", "11")];
    const page = await readAll(answering(rows), buildStatements("order_test"), upcast, { limit: 10 });
    expect(page.events.map((event) => event.checkpoint)).toEqual(["9:3", "9:12", "10:2", "10:11"]);
    expect(page.caughtUp).toBe(true);
  });

  it("keeps a page that arrives in order as it is", async () => {
    const rows = [row("9", "3"), row("9", "12"), row("10", "2")];
    const page = await readAll(answering(rows), buildStatements("order_test_2"), upcast, { limit: 3 });
    expect(page.events.map((event) => event.checkpoint)).toEqual(["9:3", "9:12", "10:2"]);
    expect(page.checkpoint).toBe("10:2");
  });
});
