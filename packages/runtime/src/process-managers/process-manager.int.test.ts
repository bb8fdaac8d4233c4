// Process managers on a real store (PGlite and the server): decisions recorded once, commands
// with deterministic ids applied once across redeliveries and restarts, deadlines stored in the
// database, cancelled, and fired.
import { afterAll, describe, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { EventStore } from "../store/event-store.js";
import { describeEachBackend } from "../testing/backends.js";
import type { StoreBackend } from "../testing/backends.js";
import type { ProcessManagerRunner, ProcessManagerRunnerOptions } from "./process-manager-runner.js";
import { createProcessManagerRunner } from "./process-manager-runner.js";
import type { BeforeDispatch, WelcomeCommand, WelcomeState } from "./welcome-process.fixture.js";
import { welcomeDispatch, welcomeProcess } from "./welcome-process.fixture.js";

const HOUR = 3_600_000;

describeEachBackend("process managers", (backend: StoreBackend) => {
  const runners: ProcessManagerRunner[] = [];
  afterAll(async () => {
    for (const runner of runners) await runner.close();
  });

  async function setUp(options: Partial<ProcessManagerRunnerOptions<WelcomeState, WelcomeCommand, never>> & { before?: BeforeDispatch } = {}) {
    const schema = backend.freshSchema();
    const store = (await backend.createStore(testRegistry, { schema })) as unknown as EventStore;
    const recorder = welcomeDispatch(store, options.before === undefined ? {} : { before: options.before });
    const open = async (extra: Partial<ProcessManagerRunnerOptions<WelcomeState, WelcomeCommand, never>> = {}) => {
      const runner = await createProcessManagerRunner({
        database: backend.database(), schema, registry: testRegistry, store, manager: welcomeProcess, dispatch: recorder.dispatch,
        leaseMs: 1_000, pollMs: 100, backoff: { initialMs: 5, maxMs: 20 }, maxAttempts: 10, ...options, ...extra,
      });
      runners.push(runner);
      return runner;
    };
    const types = async (streamId: string) => {
      const out: string[] = [];
      for await (const event of store.readStream(streamId)) out.push(event.type);
      return out;
    };
    const steps = async (processId: string) => {
      const out: { input: string; commands: string[]; done: boolean }[] = [];
      for await (const event of store.readStream(welcomeProcess.streamOf(processId))) {
        const data = event.data as { input: { kind: string; name: string }; commands: { key: string }[]; done: boolean };
        out.push({ input: `${data.input.kind}:${data.input.name}`, commands: data.commands.map((c) => c.key), done: data.done });
      }
      return out;
    };
    return { store, schema, recorder, open, types, steps };
  }

  it("records each decision in the process's own stream and sends its commands once", async () => {
    const { store, recorder, open, types, steps } = await setUp();
    const runner = await open();
    await store.append("acc-1", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
    await runner.catchUp();
    await runner.catchUp(); // the bonus deposit is an input too
    expect(await types("acc-1")).toEqual(["AccountOpened", "MoneyDeposited"]);
    expect(await steps("acc-1")).toEqual([
      { input: "event:AccountOpened", commands: ["bonus"], done: false },
      { input: "event:MoneyDeposited", commands: [], done: false },
    ]);
    expect(recorder.calls.map((call) => call.command.type)).toEqual(["bonus"]);
    const status = await runner.status();
    expect(status.pendingDeadlines).toBe(1);
    expect(status.subscription).toMatchObject({ name: "welcome", kind: "subscription", lagEvents: 0 });
  });

  it("fires a due deadline from the database, once, and ends the process", async () => {
    // Decisions taken "an hour ago": the deadline (1 s later) is due by the database's clock.
    const { store, recorder, open, types, steps } = await setUp({ now: () => new Date(Date.now() - HOUR) });
    const runner = await open();
    await store.append("acc-2", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
    await runner.catchUp();
    expect(await runner.fireDueDeadlines()).toBe(1);
    expect(await runner.fireDueDeadlines()).toBe(0);
    expect(await types("acc-2")).toEqual(["AccountOpened", "MoneyDeposited", "AccountClosed"]);
    expect((await steps("acc-2")).at(-1)).toEqual({ input: "deadline:expire", commands: ["close"], done: true });
    expect(recorder.calls.map((call) => call.command.type)).toEqual(["bonus", "close"]);
    expect((await runner.status()).pendingDeadlines).toBe(0);
  });

  it("fires the other due deadlines when one keeps failing, and fires the failed one again once its claim lapses", async () => {
    let poisoned = true;
    const { store, open, types } = await setUp({
      now: () => new Date(Date.now() - HOUR),
      deadlineClaimMs: 300,
      before: (command) => {
        if (command.type === "close" && command.streamId === "acc-poison" && poisoned) throw new Error("the close of acc-poison fails");
      },
    });
    const runner = await open();
    // The poisoned deadline falls due first: it is the first of the batch the runner claims.
    await store.append("acc-poison", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
    await runner.catchUp();
    await store.append("acc-fine", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
    await runner.catchUp();
    await expect(runner.fireDueDeadlines()).rejects.toThrow(/acc-poison/);
    expect(await types("acc-fine")).toEqual(["AccountOpened", "MoneyDeposited", "AccountClosed"]);
    expect(await types("acc-poison")).toEqual(["AccountOpened", "MoneyDeposited"]);
    expect((await runner.status()).pendingDeadlines).toBe(1);
    poisoned = false;
    // Once the claim (300 ms here) lapses, the same deadline fires again, as the same input.
    for (let i = 0; i < 200 && (await runner.fireDueDeadlines()) === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await types("acc-poison")).toEqual(["AccountOpened", "MoneyDeposited", "AccountClosed"]);
    expect((await runner.status()).pendingDeadlines).toBe(0);
  });

  it("cancels a deadline: a cancelled one never fires, and a finished process ignores later events", async () => {
    const { store, open, types, steps } = await setUp({ now: () => new Date(Date.now() - HOUR) });
    const runner = await open();
    await store.append("acc-3", [{ type: "AccountOpened", data: { owner: "Ada" } }, { type: "MoneyDeposited", data: { amount: 200, currency: "EUR" } }]);
    await runner.catchUp();
    expect((await runner.status()).pendingDeadlines).toBe(0);
    expect(await runner.fireDueDeadlines()).toBe(0);
    await runner.catchUp();
    expect(await types("acc-3")).toEqual(["AccountOpened", "MoneyDeposited", "MoneyDeposited"]);
    // The bonus arrived after the process was done: no step answers it.
    expect((await steps("acc-3")).map((step) => step.input)).toEqual(["event:AccountOpened", "event:MoneyDeposited"]);
  });

  it("resumes after a crash between recording a step and sending its command: the command goes out under the same id, once", async () => {
    let crashes = 1;
    const { store, recorder, open, types, steps } = await setUp({
      before: (command) => {
        if (command.type === "bonus" && crashes > 0) {
          crashes -= 1;
          throw new Error("simulated crash before the send");
        }
      },
      maxAttempts: 1,
    });
    const first = await open();
    await store.append("acc-4", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
    await expect(first.catchUp()).rejects.toMatchObject({ code: "PROJECTION_FAILED" });
    expect(await steps("acc-4")).toEqual([{ input: "event:AccountOpened", commands: ["bonus"], done: false }]);
    expect(await types("acc-4")).toEqual(["AccountOpened"]);
    await first.close();

    // A new process (as after a restart): the operator retries, the step is applied, not decided again.
    const second = await open();
    await second.engine.retry("welcome");
    await second.catchUp();
    await second.catchUp();
    expect(await types("acc-4")).toEqual(["AccountOpened", "MoneyDeposited"]);
    expect((await steps("acc-4")).map((step) => step.input)).toEqual(["event:AccountOpened", "event:MoneyDeposited"]);
    expect(recorder.calls).toHaveLength(1);

    // Delivered yet again (a redelivery after a crash past the send): same command id, the append is a replay.
    const id = recorder.calls[0]?.commandId ?? "";
    await recorder.dispatch({ type: "bonus", streamId: "acc-4", amount: 5 }, { commandId: id, key: "bonus", processId: "acc-4", manager: "welcome" });
    expect(await types("acc-4")).toEqual(["AccountOpened", "MoneyDeposited"]);
  });

  it("answers a refused command as an input, and never sends a command again once its refusal is recorded", async () => {
    let failSorry = 1;
    const { store, recorder, open, steps } = await setUp({
      before: (command) => {
        if (command.type === "sorry" && failSorry > 0) {
          failSorry -= 1;
          throw new Error("crash while compensating");
        }
      },
    });
    const runner = await open();
    await store.append("acc-5", [{ type: "AccountOpened", data: { owner: "refused" } }]);
    await runner.catchUp();
    expect(await steps("acc-5")).toEqual([
      { input: "event:AccountOpened", commands: ["bonus"], done: false },
      { input: "rejected:bonus", commands: ["sorry"], done: false },
    ]);
    // The redelivery re-applied the first step: the bonus, refused already, was not sent again.
    expect(recorder.calls.map((call) => call.command.type)).toEqual(["bonus", "sorry"]);
  });

  describe("two runners on one process manager", () => {
    it("only one holds the subscription; every command still goes out once", async () => {
      // Decisions dated an hour ahead: the started runners must not fire the 1 s "expire"
      // deadlines while the test runs, however slow a loaded machine makes it.
      const { store, recorder, open, types } = await setUp({ now: () => new Date(Date.now() + HOUR) });
      const a = await open();
      const b = await open();
      await a.start();
      await b.start();
      const ids = Array.from({ length: 8 }, (_, i) => `acc-many-${i}`);
      for (const id of ids) await store.append(id, [{ type: "AccountOpened", data: { owner: "Ada" } }]);
      await a.catchUp();
      await b.catchUp();
      for (const id of ids) expect(await types(id)).toEqual(["AccountOpened", "MoneyDeposited"]);
      expect(recorder.calls.filter((call) => call.command.type === "bonus")).toHaveLength(8);
      await a.stop();
      await b.stop();
    });
  });
});
