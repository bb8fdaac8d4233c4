// A process manager's telemetry: every input it answers runs in a span naming the manager, the
// process and the kind of input, linked (not parented) to its cause's trace context; and the
// correlation id of the command that started it all reaches every step, every command the
// process sends and their events, with causation ids that retrace the chain.
import { trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { TestEvent } from "../../test/fixtures/test-registry.js";
import { createCommandHandler } from "../aggregate/command-handler.js";
import { defineDecider } from "../aggregate/decider.js";
import type { EventStore } from "../store/event-store.js";
import type { RecordedEvent } from "../store/recorded-event.js";
import { installTestTelemetry } from "../telemetry/otel-test-sdk.fixture.js";
import type { TestTelemetry } from "../telemetry/otel-test-sdk.fixture.js";
import { parseTraceparent } from "../telemetry/trace-context.js";
import { describeEachBackend } from "../testing/backends.js";
import { createProcessManagerRunner } from "./process-manager-runner.js";
import { PROCESS_STEP_EVENT_TYPE } from "./process-step-event.js";
import type { ProcessStepData } from "./process-step-event.js";
import { welcomeDispatch, welcomeProcess } from "./welcome-process.fixture.js";

let telemetry: TestTelemetry;
beforeAll(() => {
  telemetry = installTestTelemetry();
});
afterAll(() => telemetry.shutdown());

async function read(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) events.push(event as RecordedEvent);
  return events;
}

/** The span ids a span links to. */
const linkedSpanIds = (span: ReadableSpan | undefined): string[] => (span?.links ?? []).map((link) => link.context.spanId);

/** The span id of the trace context stored in an event's metadata. */
const storedSpanId = (event: RecordedEvent | undefined): string | undefined => parseTraceparent(event?.metadata["traceparent"])?.spanId;

const processSpan = (input: "event" | "deadline" | "rejected", processId: string): ReadableSpan | undefined =>
  telemetry.spans().find((span) => span.name === "strata.process_manager welcome" && span.attributes["strata.process.input"] === input && span.attributes["strata.process.id"] === processId);

describeEachBackend("process manager telemetry", (backend) => {
  const open = async () => {
    const schema = backend.freshSchema();
    const store = (await backend.createStore(testRegistry, { schema })) as unknown as EventStore;
    const accounts = createCommandHandler({
      store,
      decider: defineDecider<{ readonly opened: boolean }, { readonly type: "Open"; readonly owner: string }, TestEvent>({
        name: "account",
        stateVersion: 1,
        initialState: { opened: false },
        evolve: () => ({ opened: true }),
        decide: (command) => [{ type: "AccountOpened", data: { owner: command.owner } }],
      }),
    });
    // Deadlines scheduled a minute in the past: "expire" (1 s) is due at once.
    const runner = await createProcessManagerRunner({ database: backend.database(), schema, registry: testRegistry, store, manager: welcomeProcess, dispatch: welcomeDispatch(store).dispatch, backoff: { initialMs: 5, maxMs: 20 }, now: () => new Date(Date.now() - 60_000) });
    return { store, accounts, runner };
  };

  /** Opens an account under a request span with correlation id `request-1`; returns the request's trace id. */
  const openAccount = (accounts: Awaited<ReturnType<typeof open>>["accounts"], streamId: string, owner: string): Promise<string> =>
    trace.getTracer("test").startActiveSpan("request", async (span) => {
      await accounts.handle(streamId, { type: "Open", owner }, { metadata: { correlationId: "request-1" } });
      span.end();
      return span.spanContext().traceId;
    });

  it("links each input's span to its cause, and carries the command's correlation id through steps, commands and a deadline", async () => {
    const { store, accounts, runner } = await open();
    telemetry.reset();
    const traceId = await openAccount(accounts, "acc-t", "Ada");
    await runner.catchUp();
    expect(await runner.fireDueDeadlines()).toBe(1);
    await runner.close();

    const account = await read(store, "acc-t");
    const steps = await read(store, welcomeProcess.streamOf("acc-t"));
    const opened = account.find((event) => event.type === "AccountOpened");
    const bonus = account.find((event) => event.type === "MoneyDeposited");
    const closed = account.find((event) => event.type === "AccountClosed");
    const openedStep = steps.find((step) => (step.data as ProcessStepData).input.kind === "event" && step.metadata["causationId"] === opened?.id);
    const deadlineStep = steps.find((step) => (step.data as ProcessStepData).input.kind === "deadline");
    expect(steps.every((step) => step.type === PROCESS_STEP_EVENT_TYPE)).toBe(true);

    // Correlation: one conversation from the command to the last event the process caused.
    for (const event of [...account, ...steps]) expect(event.metadata["correlationId"], `${event.type} ${event.id}`).toBe("request-1");
    // Causation: command → AccountOpened → step → bonus; that step → its deadline's step → AccountClosed.
    expect(openedStep).toBeDefined();
    expect(bonus?.metadata["causationId"]).toBe(openedStep?.id);
    expect(deadlineStep?.metadata["causationId"]).toBe(openedStep?.id);
    expect(closed?.metadata["causationId"]).toBe(deadlineStep?.id);

    // Trace context: the event was appended in the request's trace; the process's spans link to what caused them.
    expect(parseTraceparent(opened?.metadata["traceparent"])?.traceId).toBe(traceId);
    const eventSpan = processSpan("event", "acc-t");
    expect(eventSpan?.attributes).toMatchObject({ "strata.process_manager": "welcome", "strata.process.id": "acc-t", "strata.process.input": "event" });
    expect(linkedSpanIds(eventSpan)).toContain(storedSpanId(opened));
    const deadlineSpan = processSpan("deadline", "acc-t");
    expect(linkedSpanIds(deadlineSpan)).toEqual([storedSpanId(openedStep)]);
    // The step's own append ran inside the process span, so its stored context is that span's trace.
    expect(parseTraceparent(openedStep?.metadata["traceparent"])?.traceId).toBe(eventSpan?.spanContext().traceId);
  });

  it("answers a refused command under the refusing step's causation, linked to it", async () => {
    const { store, accounts, runner } = await open();
    telemetry.reset();
    await openAccount(accounts, "acc-r", "refused");
    await runner.catchUp();
    await runner.close();

    const steps = await read(store, welcomeProcess.streamOf("acc-r"));
    const first = steps.find((step) => (step.data as ProcessStepData).input.kind === "event");
    const refusal = steps.find((step) => (step.data as ProcessStepData).input.kind === "rejected");
    expect(refusal?.metadata).toMatchObject({ correlationId: "request-1", causationId: first?.id });
    expect(linkedSpanIds(processSpan("rejected", "acc-r"))).toEqual([storedSpanId(first)]);
  });
});
