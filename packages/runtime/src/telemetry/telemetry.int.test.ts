import { randomBytes } from "node:crypto";
import { SpanKind, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { TestEvent } from "../../test/fixtures/test-registry.js";
import { createCommandHandler } from "../aggregate/command-handler.js";
import { defineDecider } from "../aggregate/decider.js";
import { ERASURE_STREAM_ID, SUBJECT_ERASED_EVENT_TYPE } from "../erasure/system-events.js";
import { createProjectionEngine } from "../projections/projection-engine.js";
import { defineSubscription } from "../projections/subscription.js";
import { describeEachBackend } from "../testing/backends.js";
import { recordingProjection } from "../testing/forwarding-kit.js";
import { withCausation } from "./causation.js";
import { defineReactor } from "../reactions/define-reactor.js";
import { countOf, installTestTelemetry, sumOf } from "./otel-test-sdk.fixture.js";
import type { TestTelemetry } from "./otel-test-sdk.fixture.js";
import { parseTraceparent } from "./trace-context.js";

type AccountCommand = { readonly type: "Open" } | { readonly type: "Deposit"; readonly amount: number };
const account = defineDecider<{ readonly open: boolean }, AccountCommand, TestEvent>({
  name: "account",
  stateVersion: 1,
  initialState: { open: false },
  evolve: (state, event) => (event.type === "AccountOpened" ? { open: true } : state),
  decide: (command, state) => {
    if (command.type === "Deposit") return [{ type: "MoneyDeposited", data: { amount: command.amount, currency: "EUR" } }];
    return state.open ? [] : [{ type: "AccountOpened", data: { owner: "Ada" } }];
  },
});

let telemetry: TestTelemetry;
beforeAll(() => {
  telemetry = installTestTelemetry();
});
afterAll(() => telemetry.shutdown());
beforeEach(() => telemetry.reset());

describeEachBackend("OpenTelemetry", (backend) => {
  it("traces a command, its append and the projection batch, and stores the trace context and ids in metadata", async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(testRegistry, { schema });
    const handler = createCommandHandler({ store, decider: account });
    const result = await trace.getTracer("test").startActiveSpan("request", async (span) => {
      try {
        return await handler.handle("account-1", { type: "Open" }, { commandId: "0190b5a4-0000-7000-8000-000000000001", metadata: { userId: "u-7" } });
      } finally {
        span.end();
      }
    });
    expect(result.status).toBe("applied");
    const event = result.status === "applied" ? result.events[0] : undefined;
    const spans = telemetry.spans();
    const command = spans.find((span) => span.name === "strata.command");
    const append = spans.find((span) => span.name === "strata.append");
    expect(command?.attributes).toMatchObject({ "strata.decider.name": "account", "strata.stream.id": "account-1", "strata.command.outcome": "applied", "strata.command.attempts": 1 });
    expect(append?.parentSpanContext?.spanId).toBe(command?.spanContext().spanId);
    expect(append?.kind).toBe(SpanKind.CLIENT);
    expect(append?.attributes).toMatchObject({ "db.system.name": "postgresql", "db.operation.name": "append", "db.collection.name": `${schema}.events`, "strata.event.count": 1 });
    // The event remembers the append's span, and the command's ids.
    expect(event?.metadata).toMatchObject({ userId: "u-7", commandId: "0190b5a4-0000-7000-8000-000000000001", correlationId: "0190b5a4-0000-7000-8000-000000000001", causationId: "0190b5a4-0000-7000-8000-000000000001" });
    expect(parseTraceparent(event?.metadata["traceparent"])?.spanId).toBe(append?.spanContext().spanId);

    const readSchema = `rm_${randomBytes(5).toString("hex")}`;
    const engine = await createProjectionEngine({
      database: backend.database(),
      schema,
      registry: testRegistry,
      projections: [recordingProjection(testRegistry, { name: "recorder", schema: readSchema, handles: ["AccountOpened"] })],
    });
    await engine.catchUp();
    const batch = telemetry.spans().find((span) => span.name === "strata.project");
    expect(batch?.attributes).toMatchObject({ "strata.projection.name": "recorder", "strata.projection.kind": "projection", "strata.event.count": 1 });
    expect(batch?.links.map((link) => link.context.spanId)).toEqual([append?.spanContext().spanId]);
    const collected = await telemetry.collect();
    expect(collected.get("strata.projection.lag")?.dataPoints).toEqual([expect.objectContaining({ value: 0, attributes: { "strata.projection.name": "recorder" } })]);
    await engine.close();
    await backend.query(`DROP SCHEMA IF EXISTS "${readSchema}" CASCADE`);
  });

  it("carries correlation and causation from an event to the reactions it causes", async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(testRegistry, { schema });
    const handler = createCommandHandler({ store, decider: account });
    const opened = await handler.handle("account-2", { type: "Open" }, { metadata: { correlationId: "conversation-9" } });
    const cause = opened.status === "applied" ? opened.events[0] : undefined;
    // A reactor: deposits a welcome bonus for every opened account; no ids passed by hand.
    const reactions: unknown[] = [];
    const bonus = defineReactor(testRegistry, {
      name: "welcome-bonus",
      handles: ["AccountOpened"],
      react: async (event) => {
        const reaction = await handler.handle(event.streamId, { type: "Deposit", amount: 5 });
        if (reaction.status === "applied") reactions.push(...reaction.events.map((recorded) => recorded.metadata));
        // A plain append in the reaction inherits the ids too.
        const direct = await store.append(`audit-${event.streamId}`, [{ type: "AccountClosed", data: { reason: "audit" } }]);
        reactions.push(direct.events[0]?.metadata);
      },
    });
    // In a plain subscription, withCausation does the same for one event.
    const manual = defineSubscription(testRegistry, {
      name: "manual",
      handles: ["AccountOpened"],
      handle: async (events) => {
        for (const event of events) {
          const direct = await withCausation(event, () => store.append(`manual-${event.streamId}`, [{ type: "AccountClosed", data: { reason: "manual" } }]));
          reactions.push(direct.events[0]?.metadata);
        }
      },
    });
    const engine = await createProjectionEngine({ database: backend.database(), schema, registry: testRegistry, subscriptions: [bonus, manual] });
    await engine.catchUp();
    await engine.close();
    expect(reactions).toEqual([
      expect.objectContaining({ correlationId: "conversation-9", causationId: cause?.id, commandId: expect.any(String) as unknown }),
      expect.objectContaining({ correlationId: "conversation-9", causationId: cause?.id }),
      expect.objectContaining({ correlationId: "conversation-9", causationId: cause?.id }),
    ]);
    const deliver = telemetry.spans().find((span) => span.name === "strata.deliver" && span.attributes["strata.projection.name"] === "welcome-bonus");
    expect(deliver?.links).toHaveLength(1);
  });

  it("counts appends, appended events, failed appends and erasures", async () => {
    const store = await backend.createStore(testRegistry, { schema: backend.freshSchema() });
    const before = await telemetry.collect();
    await store.append("account-3", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
    await store.appendMany([{ streamId: "account-4", events: [{ type: "AccountOpened", data: { owner: "Bo" } }, { type: "MoneyDeposited", data: { amount: 1, currency: "EUR" } }] }]);
    await expect(store.append("account-3", [{ type: "AccountOpened", data: { owner: "Ada" } }], { expectedVersion: "no_stream" })).rejects.toMatchObject({ code: "STREAM_CONFLICT" });
    await store.append(ERASURE_STREAM_ID, [{ type: SUBJECT_ERASED_EVENT_TYPE, data: { subjectId: "s-1", subjectHash: "ab", erasedAt: new Date().toISOString() } }] as never);
    const after = await telemetry.collect();
    expect(sumOf(after.get("strata.events.appended")) - sumOf(before.get("strata.events.appended"))).toBe(4);
    expect(countOf(after.get("strata.append.duration")) - countOf(before.get("strata.append.duration"))).toBe(4);
    const failed = after.get("strata.append.duration")?.dataPoints.find((point) => point.attributes["error.type"] === "STREAM_CONFLICT");
    expect(failed).toBeDefined();
    expect(sumOf(after.get("strata.erasures")) - sumOf(before.get("strata.erasures"))).toBe(1);
    const conflict = telemetry.spans().find((span) => span.name === "strata.append" && span.status.code === 2);
    expect(conflict?.attributes["error.type"]).toBe("STREAM_CONFLICT");

    for await (const event of store.readStream("account-4")) expect(event.streamId).toBe("account-4");
    // (On a shared server another transaction in flight may hold the global read back: count what came.)
    const page = await store.readAll({ limit: 2 });
    const reads = telemetry.spans().filter((span) => span.name.startsWith("strata.read_"));
    expect(reads.map((span) => [span.name, span.attributes["db.operation.name"], span.attributes["strata.event.count"]])).toEqual([
      ["strata.read_stream", "read_stream", 2],
      ["strata.read_all", "read_all", page.events.length],
    ]);
  });
});
