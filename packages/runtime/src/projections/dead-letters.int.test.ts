/**
 * The dead-letter policy: an event the handler keeps failing on is recorded (ids, type, attempts,
 * the error's code and class, never data or message), the later events of its stream are parked
 * behind it, every other stream goes on; a retry applies the stream in stream order, a drop
 * records the skip and applies the parked events. Projections and subscriptions alike.
 */
import { afterAll, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { describeEachBackend } from "../testing/backends.js";
import { balancesProjection } from "./balances.fixture.js";
import { deposit, opened, setUp } from "./engine-setup.fixture.js";
import { defineSubscription } from "./subscription.js";
import { isStrataError } from "../errors.js";

const POISON = 13;

describeEachBackend("dead letters", (backend) => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  const open = async (maxAttempts: number) => {
    const t = await setUp(backend, cleanup);
    const state = { broken: true };
    const projection = {
      ...balancesProjection({ name: "balances", schema: t.readSchema, failOn: (_id, amount) => state.broken && amount === POISON }),
      failure: { maxAttempts, onExhausted: "dead-letter" as const, backoff: { initialMs: 1, maxMs: 2 } },
    };
    const engine = await t.engine({ projections: [projection] });
    const ledger = async (stream: string) =>
      (await backend.query<{ version: number }>(`SELECT version FROM "${t.readSchema}".ledger WHERE stream_id = $1 ORDER BY seq`, [stream])).map((row) => Number(row.version));
    return { ...t, engine, state, ledger };
  };

  it("dead-letter a poison event after the attempts, park its stream's later events, and keep the other streams going", async () => {
    const t = await open(2);
    const poisoned = await t.store.append("a", [opened, deposit(5), deposit(POISON), deposit(7)]);
    await t.store.append("b", [opened, deposit(2)]);
    await t.engine.catchUp();
    await t.store.append("a", [deposit(1)]);
    await t.engine.catchUp();
    expect(await t.balances()).toEqual([
      { account: "a", amount: 5, deposits: 1, closed: false },
      { account: "b", amount: 2, deposits: 1, closed: false },
    ]);
    const [status] = await t.engine.status("balances");
    expect(status).toMatchObject({ state: "live", lagEvents: 0, deadLetters: { failed: 1, parked: 2 }, failure: null });
    const letters = await t.engine.deadLetters("balances");
    expect(letters.map((letter) => [letter.status, letter.streamVersion, letter.attempts])).toEqual([
      ["failed", 3, 2],
      ["parked", 4, 0],
      ["parked", 5, 0],
    ]);
    expect(letters[0]).toMatchObject({ projection: "balances", eventId: poisoned.events[2]?.id, eventType: "MoneyDeposited", streamId: "a", errorCode: "TypeError", error: "TypeError" });
    // Never the error's message (it may quote personal data).
    expect(JSON.stringify(letters, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))).not.toContain("refusing");

    // Still broken: the retry fails again, nothing changes but the attempt count.
    expect(await t.engine.retryDeadLetters("balances")).toMatchObject({ applied: 0, failed: [{ eventId: poisoned.events[2]?.id, attempts: 3 }] });
    expect(await t.ledger("a")).toEqual([1, 2]);

    // Fixed: the retry applies the stream in stream order, after the other streams moved on.
    t.state.broken = false;
    expect(await t.engine.retryDeadLetters("balances", poisoned.events[2]?.id)).toEqual({ applied: 3, failed: [] });
    expect(await t.ledger("a")).toEqual([1, 2, 3, 4, 5]);
    expect(await t.balances()).toContainEqual({ account: "a", amount: 26, deposits: 4, closed: false });
    expect((await t.engine.status("balances"))[0]?.deadLetters).toEqual({ failed: 0, parked: 0 });
    await t.store.append("a", [deposit(4)]);
    await t.engine.catchUp();
    expect(await t.ledger("a")).toEqual([1, 2, 3, 4, 5, 6]);
    await t.close();
  });

  it("dead-letter at once with maxAttempts 1; drop records the skip and applies the parked events", async () => {
    const t = await open(1);
    const poisoned = await t.store.append("a", [opened, deposit(POISON), deposit(7)]);
    await t.engine.catchUp();
    expect((await t.engine.deadLetters()).map((letter) => [letter.status, letter.attempts])).toEqual([["failed", 1], ["parked", 0]]);
    const poisonId = poisoned.events[1]?.id ?? "";
    expect(isStrataError(await t.engine.dropDeadLetter("balances", poisoned.events[2]?.id ?? "").catch((error: unknown) => error), "PROJECTION_DEAD_LETTER_NOT_FOUND")).toBe(true);
    expect(await t.engine.dropDeadLetter("balances", poisonId)).toEqual({ applied: 1, failed: [] });
    expect(await t.ledger("a")).toEqual([1, 3]);
    expect(await t.balances()).toEqual([{ account: "a", amount: 7, deposits: 1, closed: false }]);
    const skips = await backend.query<{ event_id: string }>(`SELECT event_id FROM "${t.schema}".projection_skips WHERE name = 'balances'`);
    expect(skips.map((row) => row.event_id)).toEqual([poisonId]);
    await t.close();
  });

  it("apply to subscriptions: the other streams are delivered, a retry delivers the stream in order", async () => {
    const t = await setUp(backend, cleanup);
    const delivered: string[] = [];
    let broken = true;
    const mails = defineSubscription(testRegistry, {
      name: "mails",
      handles: ["MoneyDeposited"],
      failure: { maxAttempts: 2, onExhausted: "dead-letter", backoff: { initialMs: 1, maxMs: 2 } },
      handle: async (events) => {
        if (broken && events.some((event) => event.data.amount === POISON)) throw new RangeError("smtp said no");
        delivered.push(...events.map((event) => `${event.streamId}:${event.version}`));
      },
    });
    await t.store.append("a", [deposit(1), deposit(POISON), deposit(3)]);
    await t.store.append("b", [deposit(4)]);
    const engine = await t.engine({ projections: [], subscriptions: [mails] });
    await engine.catchUp();
    expect([...new Set(delivered)]).toEqual(["a:1", "b:1"]);
    expect((await engine.status("mails"))[0]).toMatchObject({ state: "live", deadLetters: { failed: 1, parked: 1 } });
    expect((await engine.deadLetters("mails"))[0]).toMatchObject({ errorCode: "RangeError", attempts: 2 });
    broken = false;
    expect(await engine.retryDeadLetters("mails")).toEqual({ applied: 2, failed: [] });
    expect([...new Set(delivered)]).toEqual(["a:1", "b:1", "a:2", "a:3"]);
    await t.close();
  });
});
