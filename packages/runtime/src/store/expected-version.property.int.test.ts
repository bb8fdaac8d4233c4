/**
 * Model-based check of the append contract: random sequences of appends and deletions with
 * random expected versions against a plain in-memory model of streams. The store must accept
 * exactly what the model accepts, report the model's actual version on conflict, and end with
 * the model's streams and global order.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { isStrataError } from "../errors.js";
import type { ExpectedVersion } from "../errors.js";
import { describeEachBackend } from "../testing/backends.js";
import { readAllUntil } from "../../test/fixtures/read-all-until.js";
import { satisfies } from "./expected-version.js";

type Command =
  | { readonly kind: "append"; readonly stream: string; readonly count: number; readonly expected: ExpectedVersion }
  | { readonly kind: "delete"; readonly stream: string; readonly expected: ExpectedVersion };

const expectedVersion: fc.Arbitrary<ExpectedVersion> = fc.oneof(
  fc.constantFrom<ExpectedVersion>("any", "no_stream", "stream_exists"),
  fc.integer({ min: 0, max: 6 }),
);
const stream = fc.constantFrom("a", "b", "c");
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("append" as const), stream, count: fc.integer({ min: 1, max: 3 }), expected: expectedVersion }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), stream, expected: expectedVersion }) },
);

describeEachBackend("expected versions against a model", (backend) => {
  it("accepts, rejects and numbers appends exactly like the model", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        const store = await backend.createStore(testRegistry);
        const versions = new Map<string, number>();
        const deleted = new Set<string>();
        const log: string[] = [];
        let amount = 0;
        for (const step of commands) {
          const actual = versions.get(step.stream) ?? 0;
          if (step.kind === "delete") {
            const outcome = await store.deleteStream(step.stream, { expectedVersion: step.expected }).catch((error: unknown) => error);
            if (deleted.has(step.stream) || satisfies(step.expected, actual)) {
              expect(outcome).toEqual({ streamId: step.stream, version: actual });
              deleted.add(step.stream);
            } else {
              expect(outcome).toMatchObject({ code: "STREAM_CONFLICT", actualVersion: actual });
            }
            continue;
          }
          const events = Array.from({ length: step.count }, () => ({ type: "MoneyDeposited" as const, data: { amount: (amount += 1), currency: "EUR" } }));
          const outcome = await store.append(step.stream, events, { expectedVersion: step.expected }).catch((error: unknown) => error);
          if (deleted.has(step.stream)) {
            expect(isStrataError(outcome, "STREAM_DELETED")).toBe(true);
          } else if (satisfies(step.expected, actual)) {
            expect(outcome).toMatchObject({ firstVersion: actual + 1, lastVersion: actual + step.count });
            versions.set(step.stream, actual + step.count);
            for (let i = 1; i <= step.count; i += 1) log.push(`${step.stream}@${actual + i}`);
          } else {
            expect(outcome).toMatchObject({ code: "STREAM_CONFLICT", streamId: step.stream, expectedVersion: step.expected, actualVersion: actual });
          }
        }
        for (const [streamId, version] of versions) {
          if (deleted.has(streamId)) continue;
          expect(await store.streamVersion(streamId)).toBe(version);
        }
        const all = await readAllUntil(store, log.length);
        expect(all.events.map((event) => `${event.streamId}@${event.version}`)).toEqual(log);
        await store.close();
      }),
      { numRuns: backend.concurrent ? 15 : 30 },
    );
  });
});
