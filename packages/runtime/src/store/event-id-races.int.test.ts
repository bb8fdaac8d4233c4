/**
 * An event id names one event in the whole store, under any race: the same id appended
 * concurrently to two streams lands once, the other append fails with DuplicateEventIdError, and
 * retrying the winner still returns its original result. Before `event_ids`, both appends
 * succeeded in about 90% of such races; the loop runs enough races to catch one in ten many times.
 */
import { v7 as uuidv7 } from "uuid";
import { expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { isStrataError } from "../errors.js";
import { describeEachBackend } from "../testing/backends.js";
import type { AppendResult } from "./append-result.js";

const deposit = (amount: number, id: string) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" }, id });

describeEachBackend("event id races", (backend) => {
  const races = backend.concurrent ? 150 : 30;

  it(`the same id appended concurrently to two streams lands once, ${races} races`, async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(testRegistry, { schema });
    let bothSucceeded = 0;
    for (let race = 0; race < races; race += 1) {
      const id = uuidv7();
      const mode = race % 3;
      // Mode 0: new streams; 1: existing streams; 2: a two-event batch where only the second id is shared.
      if (mode === 1) await store.appendMany([{ streamId: `a-${race}`, events: [deposit(1, uuidv7())] }, { streamId: `b-${race}`, events: [deposit(1, uuidv7())] }]);
      const batchA = mode === 2 ? [deposit(5, uuidv7()), deposit(2, id)] : [deposit(2, id)];
      const batchB = [deposit(3, id)];
      const outcomes = await Promise.allSettled([store.append(`a-${race}`, batchA), store.append(`b-${race}`, batchB)]);
      const won = outcomes.filter((outcome) => outcome.status === "fulfilled");
      if (won.length === 2) bothSucceeded += 1;
      expect(won).toHaveLength(1);
      const lost = outcomes.find((outcome) => outcome.status === "rejected");
      expect(isStrataError(lost?.reason, "DUPLICATE_EVENT_ID"), String(lost?.reason)).toBe(true);
      // The winner's retry returns its original result; the loser's retry still fails.
      const winnerIsA = outcomes[0]?.status === "fulfilled";
      const original = (won[0] as PromiseFulfilledResult<AppendResult>).value;
      expect(await store.append(winnerIsA ? `a-${race}` : `b-${race}`, winnerIsA ? batchA : batchB)).toEqual(original);
      expect(isStrataError(await store.append(winnerIsA ? `b-${race}` : `a-${race}`, winnerIsA ? batchB : batchA).catch((error: unknown) => error), "DUPLICATE_EVENT_ID")).toBe(true);
    }
    expect(bothSucceeded).toBe(0);
    const [row] = await backend.query<{ events: string | number; ids: string | number; registered: string | number }>(
      `SELECT (SELECT count(*) FROM "${schema}".events) AS events, (SELECT count(DISTINCT event_id) FROM "${schema}".events) AS ids, (SELECT count(*) FROM "${schema}".event_ids) AS registered`,
    );
    expect(Number(row?.ids)).toBe(Number(row?.events));
    expect(Number(row?.registered)).toBe(Number(row?.events));
  });

  it("concurrent retries of one append and a reuse in another stream: one write, original results, one duplicate error", async () => {
    const store = await backend.createStore(testRegistry);
    for (let race = 0; race < races / 3; race += 1) {
      const batch = [deposit(1, uuidv7()), deposit(2, uuidv7())];
      const attempts = await Promise.allSettled([
        store.append(`r-${race}`, batch),
        store.append(`r-${race}`, batch),
        store.append(`other-${race}`, [batch[1] ?? deposit(9, uuidv7())]),
        store.append(`r-${race}`, batch),
      ]);
      const results = attempts.flatMap((attempt) => (attempt.status === "fulfilled" ? [attempt.value] : []));
      const errors = attempts.flatMap((attempt) => (attempt.status === "rejected" ? [attempt.reason as unknown] : []));
      for (const error of errors) expect(isStrataError(error, "DUPLICATE_EVENT_ID"), String(error)).toBe(true);
      const retries = results.filter((result) => result.streamId === `r-${race}`);
      if (retries.length > 0) {
        // The batch won: every retry got the one original result, and the other stream lost.
        for (const result of retries) expect(result).toEqual(retries[0]);
        expect(retries).toHaveLength(3);
        expect(await store.streamVersion(`other-${race}`)).toBeUndefined();
      } else {
        // The single reuse won: every append of the batch is a duplicate.
        expect(results.map((result) => result.streamId)).toEqual([`other-${race}`]);
        expect(await store.streamVersion(`r-${race}`)).toBeUndefined();
      }
    }
  });
});
