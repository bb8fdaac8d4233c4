import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deadlineInputKey, foldHistory } from "./process-history.js";
import type { RecordedStep } from "./process-history.js";
import type { ProcessStepData } from "./process-step-event.js";

const step = (id: string, data: Partial<ProcessStepData> & { input: ProcessStepData["input"] }): RecordedStep => ({
  id,
  metadata: {},
  data: { manager: "m", processId: "p", state: null, commands: [], schedule: [], cancel: [], done: false, ...data },
});

describe("foldHistory", () => {
  it("keeps the last state, the steps by input, and the live schedule per deadline key", () => {
    const history = foldHistory(0, [
      step("s1", { input: { kind: "event", key: "event:a", name: "A" }, state: 1, schedule: [{ key: "t", dueAt: "2030-01-01T00:00:00Z", data: null }] }),
      step("s2", { input: { kind: "event", key: "event:b", name: "B" }, state: 2, cancel: ["t"], schedule: [{ key: "t", dueAt: "2031-01-01T00:00:00Z", data: null }] }),
    ], 2);
    expect(history).toMatchObject({ version: 2, state: 2, done: false });
    expect([...history.steps.keys()]).toEqual(["event:a", "event:b"]);
    expect(history.live.get("t")).toBe(deadlineInputKey("t", "s2"));
  });

  it("forgets a deadline once it fired or the process is done", () => {
    const fired = foldHistory(0, [
      step("s1", { input: { kind: "event", key: "event:a", name: "A" }, schedule: [{ key: "t", dueAt: "2030-01-01T00:00:00Z", data: null }, { key: "u", dueAt: "2030-01-01T00:00:00Z", data: null }] }),
      step("s2", { input: { kind: "deadline", key: deadlineInputKey("t", "s1"), name: "t" } }),
    ], 2);
    expect([...fired.live.keys()]).toEqual(["u"]);
    const done = foldHistory(0, [...[...fired.steps.values()], step("s3", { input: { kind: "event", key: "event:c", name: "C" }, done: true })], 3);
    expect(done.done).toBe(true);
    expect(done.live.size).toBe(0);
  });

  it("a deadline key is live exactly when its last schedule came after its last cancel and no firing of that schedule (property)", () => {
    const op = fc.oneof(fc.constant("schedule" as const), fc.constant("cancel" as const), fc.constant("fire" as const));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const steps: RecordedStep[] = [];
        let expected: string | undefined;
        ops.forEach((kind, index) => {
          const id = `s${index}`;
          if (kind === "schedule") {
            steps.push(step(id, { input: { kind: "event", key: `event:${index}`, name: "E" }, schedule: [{ key: "t", dueAt: "2030-01-01T00:00:00Z", data: null }] }));
            expected = deadlineInputKey("t", id);
          } else if (kind === "cancel") {
            steps.push(step(id, { input: { kind: "event", key: `event:${index}`, name: "E" }, cancel: ["t"] }));
            expected = undefined;
          } else if (expected !== undefined) {
            steps.push(step(id, { input: { kind: "deadline", key: expected, name: "t" } }));
            expected = undefined;
          }
        });
        expect(foldHistory(null, steps, steps.length).live.get("t")).toBe(expected);
      }),
    );
  });
});
