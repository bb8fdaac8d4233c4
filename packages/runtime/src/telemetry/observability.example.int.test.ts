/**
 * The worked example of docs/observability.md, run in CI exactly as the page shows it
 * (observability.example-doc.unit.test.ts keeps the two in step).
 */
import { PGlite } from "@electric-sql/pglite";
import { expect, it } from "vitest";
import { testRegistry as bankingRegistry } from "../../test/fixtures/test-registry.js";
import type { TestEvent as BankingEvent } from "../../test/fixtures/test-registry.js";
// 1. An SDK: here in-memory exporters; in production OTLP (see apps/banking/src/infra/telemetry.ts).
import { context, metrics, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { createCommandHandler, createEventStore, createProjectionEngine, defineDecider, defineSubscription, withCausation } from "../index.js";

it("traces a command, its events and the reaction they cause", async () => {
  const spans = new InMemorySpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

  // 2. A command, and a reaction to its event.
  const database = { kind: "pglite" as const, instance: await PGlite.create() };
  const store = await createEventStore({ registry: bankingRegistry, database });
  const accounts = createCommandHandler({
    store,
    decider: defineDecider<{ readonly opened: boolean }, { readonly type: "Open" } | { readonly type: "Deposit" }, BankingEvent>({
      name: "account",
      stateVersion: 1,
      initialState: { opened: false },
      evolve: (state, event) => (event.type === "AccountOpened" ? { opened: true } : state),
      decide: (command) =>
        command.type === "Open" ? [{ type: "AccountOpened", data: { owner: "Ada" } }] : [{ type: "MoneyDeposited", data: { amount: 10, currency: "EUR" } }],
    }),
  });
  const welcomeBonus = defineSubscription(bankingRegistry, {
    name: "welcome-bonus",
    handles: ["AccountOpened"],
    handle: async (events) => {
      for (const event of events) await withCausation(event, () => accounts.handle(event.streamId, { type: "Deposit" }));
    },
  });
  const opened = await accounts.handle("account-7", { type: "Open" }, { metadata: { correlationId: "request-1" } });
  const engine = await createProjectionEngine({ database, registry: bankingRegistry, subscriptions: [welcomeBonus] });
  await engine.catchUp();

  // 3. What was recorded.
  const cause = opened.status === "applied" ? opened.events[0] : undefined;
  const { events } = await store.readAll({ types: ["MoneyDeposited"] });
  const deposit = events[0];
  console.log(cause?.metadata); // { correlationId: "request-1", causationId: <command id>, commandId: <command id>, traceparent: "00-…" }
  console.log(deposit?.metadata); // { correlationId: "request-1", causationId: <id of AccountOpened>, commandId: …, traceparent: "00-…" }
  expect(deposit?.metadata).toMatchObject({ correlationId: "request-1", causationId: cause?.id });
  console.log(spans.getFinishedSpans().map((span) => span.name)); // [ "strata.read_stream", "strata.append", "strata.command", …, "strata.deliver", … ]
  expect(spans.getFinishedSpans().find((span) => span.name === "strata.deliver")?.links).toHaveLength(1);
  await reader.forceFlush();
  const names = metricExporter.getMetrics().flatMap((batch) => batch.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.descriptor.name)));
  console.log(names); // [ "strata.append.duration", "strata.events.appended", "strata.projection.lag", "strata.projection.lag.duration" ]
  expect(names).toContain("strata.append.duration");
  await engine.close();
  await store.close();
  await database.instance.close();
  trace.disable();
  metrics.disable();
  context.disable();
});
