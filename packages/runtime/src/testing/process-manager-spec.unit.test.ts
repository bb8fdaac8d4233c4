import { describe, expect, it } from "vitest";
import { welcomeProcess } from "../process-managers/welcome-process.fixture.js";
import { deadlineInput, eventInput, processManagerSpec, rejectedInput } from "./process-manager-spec.js";

const opened = (owner: string) => ({ id: "e1", streamId: "acc", version: 1, position: 1n, type: "AccountOpened" as const, data: { owner }, metadata: {}, recordedAt: new Date(0), schemaVersion: 1, storedSchemaVersion: 1, checkpoint: "1" });
const deposited = (amount: number) => ({ ...opened("x"), id: `d${amount}`, type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
// The recorded-event shape is the store's; the spec only hands it to decide.
const spec = processManagerSpec(welcomeProcess, "acc");

describe("processManagerSpec", () => {
  it("checks the commands and deadlines of the last decision", () => {
    spec.given([]).when(eventInput(opened("Ada") as never)).then({
      commands: [{ key: "bonus", command: { type: "bonus", streamId: "acc", amount: 5 } }],
      schedule: [{ key: "expire", afterMs: 1_000, data: { why: "no deposit" } }],
    });
  });

  it("carries the state from the given inputs, and reports a decision that differs", () => {
    const after = spec.given([eventInput(opened("Ada") as never), eventInput(deposited(60) as never)]);
    after.when(eventInput(deposited(40) as never)).then({ state: { deposited: 100, refused: false }, cancel: ["expire"], done: true });
    expect(() => after.when(eventInput(deposited(10) as never)).then({ done: true })).toThrow(/decided other done/);
  });

  it("answers refusals and deadlines, and expects nothing once the process is done", () => {
    spec.given([eventInput(opened("refused") as never)]).when(rejectedInput("bonus", { type: "bonus", streamId: "acc", amount: 0 }, { code: "zero_bonus" })).then({
      commands: [{ key: "sorry", command: { type: "sorry", streamId: "acc" } }],
      state: { deposited: 0, refused: true },
    });
    spec.given([eventInput(opened("Ada") as never), deadlineInput("expire")]).when(eventInput(deposited(5) as never)).then("ignored");
    expect(() => spec.given([eventInput(opened("Ada") as never)]).when(deadlineInput("expire")).then("ignored")).toThrow(/decided/);
  });

  it("delivers a deadline only while it is scheduled, as the runner does", () => {
    // Never scheduled, or cancelled: the runner never delivers it, so nothing is decided.
    spec.given([]).when(deadlineInput("expire")).then("ignored");
    spec.given([eventInput(opened("Ada") as never), eventInput(deposited(60) as never)]).when(deadlineInput("expire")).then({ commands: [{ key: "close", command: { type: "close", streamId: "acc" } }] });
    // A given deadline that was not scheduled is not answered either: the process is not done.
    spec.given([deadlineInput("expire")]).when(eventInput(opened("Ada") as never)).then({ commands: [{ key: "bonus", command: { type: "bonus", streamId: "acc", amount: 5 } }] });
  });

  it("refuses to be awaited", () => {
    expect(() => spec.given([]).when(deadlineInput("expire")).then((() => undefined) as never)).toThrow(/not a promise/);
  });
});
