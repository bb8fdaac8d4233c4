/**
 * Values that jsonb or JSON cannot hold exactly are refused at append, with an
 * EventValidationError naming the event and the field, and nothing is written: through append,
 * appendMany, an inline projection's append, and ahead of a projection engine that keeps running.
 * A property test over arbitrary Unicode and numbers: every append is refused or reads back equal.
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { TestEvent } from "../../test/fixtures/test-registry.js";
import { rejection } from "../../test/fixtures/rejection.js";
import { isStrataError } from "../errors.js";
import { defineRegistry } from "../registry.js";
import type { EventTypeSpec } from "../registry.js";
import { balancesProjection, readBalances } from "../projections/balances.fixture.js";
import { createProjectionEngine } from "../projections/projection-engine.js";
import { describeEachBackend } from "../testing/backends.js";
import { createEventStore } from "./create-event-store.js";
import type { EventStore } from "./event-store.js";

type Anything = { readonly type: "Anything"; readonly data: Record<string, unknown> };
const anything: EventTypeSpec = {
  type: "Anything",
  latestVersion: 1,
  // A schema that accepts any object: only the store's own rules stand between the value and the database.
  versions: { 1: { version: 1, validator: { safeParse: (input: unknown) => ({ success: true as const, data: input }) }, pii: [] } },
  upcasters: [],
};
const registry = defineRegistry<TestEvent | Anything>({ context: "test", events: { ...testRegistry.events, Anything: anything } });

interface BadValue {
  readonly label: string;
  readonly event: { readonly type: string; readonly data: unknown; readonly metadata?: Record<string, unknown> };
  readonly path: readonly PropertyKey[];
}
const badValues: readonly BadValue[] = [
  { label: "U+0000 in a string", event: { type: "AccountOpened", data: { owner: "Ada\u0000" } }, path: ["owner"] },
  { label: "an unpaired high surrogate", event: { type: "AccountOpened", data: { owner: "\uD83D" } }, path: ["owner"] },
  { label: "an unpaired low surrogate, nested", event: { type: "Anything", data: { note: { lines: ["ok", "x\uDE00"] } } }, path: ["note", "lines", 1] },
  { label: "U+0000 in a key", event: { type: "Anything", data: { "a\u0000b": 1 } }, path: ["a\u0000b"] },
  { label: "an unpaired surrogate in a key", event: { type: "Anything", data: { "\uDBFF": true } }, path: ["\uDBFF"] },
  { label: "NaN", event: { type: "Anything", data: { n: Number.NaN } }, path: ["n"] },
  { label: "Infinity", event: { type: "Anything", data: { n: -Infinity } }, path: ["n"] },
  { label: "9007199254740993", event: { type: "Anything", data: { n: 9007199254740993 } }, path: ["n"] },
  { label: "1e20", event: { type: "MoneyDeposited", data: { amount: 1e20, currency: "EUR" } }, path: ["amount"] },
  { label: "a bigint", event: { type: "Anything", data: { n: 10n } }, path: ["n"] },
  { label: "U+0000 in metadata", event: { type: "AccountOpened", data: { owner: "Ada" }, metadata: { note: "\u0000" } }, path: ["(metadata)", "note"] },
];
const good = { type: "AccountOpened" as const, data: { owner: "Ada" } };

function expectRefusal(error: unknown, bad: BadValue, eventIndex: number): void {
  expect(isStrataError(error, "EVENT_VALIDATION")).toBe(true);
  if (!isStrataError(error, "EVENT_VALIDATION")) return;
  const issue = error.issues.find((candidate) => JSON.stringify(candidate.path) === JSON.stringify(bad.path));
  expect(issue, `${bad.label}: ${error.message}`).toMatchObject({ type: bad.event.type, eventIndex });
  expect(error.message).toContain(bad.event.type);
}

async function nothingWritten(store: EventStore, streams: readonly string[]): Promise<void> {
  for (const stream of streams) expect(await store.streamVersion(stream)).toBeUndefined();
  expect((await store.readAll()).events).toEqual([]);
}

describeEachBackend("unstorable values", (backend) => {
  const readSchemas: string[] = [];
  afterAll(async () => {
    for (const schema of readSchemas) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("are refused by append and appendMany with the event and field named, and nothing is written", async () => {
    const store = (await backend.createStore(registry)) as unknown as EventStore;
    for (const bad of badValues) {
      expectRefusal(await rejection(store.append("s-1", [good, bad.event as never])), bad, 1);
      expectRefusal(await rejection(store.appendMany([{ streamId: "s-2", events: [good] }, { streamId: "s-3", events: [bad.event as never] }])), bad, 0);
      await nothingWritten(store, ["s-1", "s-2", "s-3"]);
    }
  });

  it("are refused before an inline projection runs, and a projection engine keeps applying the rest", async () => {
    const schema = backend.freshSchema();
    const inlineSchema = `rm_${randomBytes(5).toString("hex")}`;
    const engineSchema = `rm_${randomBytes(5).toString("hex")}`;
    readSchemas.push(inlineSchema, engineSchema, `${engineSchema}__rebuild`);
    const store = (await createEventStore({ registry, database: backend.database(), schema, inlineProjections: [balancesProjection({ name: "inline", schema: inlineSchema })] })) as unknown as EventStore;
    const engine = await createProjectionEngine({ database: backend.database(), schema, registry, projections: [balancesProjection({ name: "engine", schema: engineSchema })], pollMs: 50 });
    try {
      for (const bad of badValues) {
        expectRefusal(await rejection(store.append("acc", [good, bad.event as never])), bad, 1);
        expectRefusal(await rejection(store.appendMany([{ streamId: "acc", events: [bad.event as never] }])), bad, 0);
      }
      await nothingWritten(store, ["acc"]);
      expect(await readBalances((text) => backend.query(text), inlineSchema)).toEqual([]);
      await store.append("acc", [good, { type: "MoneyDeposited", data: { amount: 7, currency: "EUR" } } as never]);
      await engine.catchUp();
      const [status] = await engine.status("engine");
      expect(status).toMatchObject({ state: "live", lagEvents: 0, lastError: null, eventsApplied: 2 });
      const expected = [{ account: "acc", amount: 7, deposits: 1, closed: false }];
      expect(await readBalances((text) => backend.query(text), inlineSchema)).toEqual(expected);
      expect(await readBalances((text) => backend.query(text), engineSchema)).toEqual(expected);
    } finally {
      await engine.close();
      await store.close();
    }
  });

  it("either refuse an arbitrary value or read it back equal (arbitrary Unicode and numbers)", async () => {
    const store = (await backend.createStore(registry)) as unknown as EventStore;
    const text = fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.string({ unit: fc.constantFrom("\u0000", "\uD800", "\uDFFF", "é", "😀", "a"), maxLength: 6 }));
    const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 9007199254740993, 1e20)).map((n) => (Object.is(n, -0) ? 0 : n));
    const key = text.filter((candidate) => candidate !== "__proto__");
    const value = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof({ depthSize: "small" }, text, number, fc.boolean(), fc.constant(null), fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(key, tie("node"), { maxKeys: 3 })),
    })).node;
    let run = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, value, { minKeys: 1, maxKeys: 3 }), async (data) => {
        run += 1;
        const streamId = `p-${run}`;
        try {
          await store.append(streamId, [{ type: "Anything", data } as never]);
        } catch (error) {
          expect(isStrataError(error, "EVENT_VALIDATION"), String(error)).toBe(true);
          expect(await store.streamVersion(streamId)).toBeUndefined();
          refused += 1;
          return;
        }
        const stored = [];
        for await (const event of store.readStream(streamId)) stored.push(event.data);
        expect(stored).toEqual([data]);
      }),
      { numRuns: 150 },
    );
    // Both outcomes happened, so the property tested both sides.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(run);
  });
});
