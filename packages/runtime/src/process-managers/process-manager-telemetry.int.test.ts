// Every input a process manager answers runs in a span naming the manager, the process and the
// kind of input; the commands it sends record the step as their causation.
import { afterAll, beforeAll, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { EventStore } from "../store/event-store.js";
import { installTestTelemetry } from "../telemetry/otel-test-sdk.fixture.js";
import type { TestTelemetry } from "../telemetry/otel-test-sdk.fixture.js";
import { describeEachBackend } from "../testing/backends.js";
import { createProcessManagerRunner } from "./process-manager-runner.js";
import { PROCESS_STEP_EVENT_TYPE } from "./process-step-event.js";
import { welcomeDispatch, welcomeProcess } from "./welcome-process.fixture.js";

let telemetry: TestTelemetry;
beforeAll(() => {
  telemetry = installTestTelemetry();
});
afterAll(() => telemetry.shutdown());

describeEachBackend("process manager telemetry", (backend) => {
  it("traces each input, and the bonus deposit names the step as its causation", async () => {
    const schema = backend.freshSchema();
    const store = (await backend.createStore(testRegistry, { schema })) as unknown as EventStore;
    const runner = await createProcessManagerRunner({ database: backend.database(), schema, registry: testRegistry, store, manager: welcomeProcess, dispatch: welcomeDispatch(store).dispatch, backoff: { initialMs: 5, maxMs: 20 } });
    telemetry.reset();
    await store.append("acc-t", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
    await runner.catchUp();
    await runner.close();
    const span = telemetry.spans().find((candidate) => candidate.name === "strata.process_manager welcome");
    expect(span?.attributes).toMatchObject({ "strata.process_manager": "welcome", "strata.process.id": "acc-t", "strata.process.input": "event" });
    const events = [];
    for await (const event of store.readStream("acc-t")) events.push(event);
    const steps = [];
    for await (const event of store.readStream(welcomeProcess.streamOf("acc-t"))) steps.push(event);
    expect(steps[0]?.type).toBe(PROCESS_STEP_EVENT_TYPE);
    expect(steps[0]?.metadata["causationId"]).toBe(events[0]?.id);
    expect(events[1]?.metadata["causationId"]).toBe(steps[0]?.id);
  });
});
