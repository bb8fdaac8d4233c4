// With OTEL_EXPORTER_OTLP_ENDPOINT set, the app exports traces and metrics over OTLP/HTTP: a
// local collector stand-in (an HTTP server on 127.0.0.1) receives Strata's spans and metrics.
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTelemetry } from "../src/infra/telemetry.js";
import type { Telemetry } from "../src/infra/telemetry.js";
import { address, call } from "./support/http.js";
import { openTestApp } from "./support/test-app.js";

const received: { readonly path: string; readonly body: Buffer }[] = [];
let collector: Server;
let endpoint: string;

beforeAll(async () => {
  collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", body: Buffer.concat(chunks) });
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve));
});

it("stays off without an endpoint", async () => {
  expect(await startTelemetry({})).toBeUndefined();
});

describeEachBackend("OpenTelemetry export", (backend) => {
  it("sends Strata's spans and metrics to the OTLP endpoint", async () => {
    received.length = 0;
    const telemetry: Telemetry | undefined = await startTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: "banking-test", OTEL_METRIC_EXPORT_INTERVAL: "60000" });
    const t = await openTestApp(backend);
    try {
      const created = await call(t.app, "POST", "/customers", { body: { name: "Olga Otel", email: "olga@example.org", address } });
      expect(created.status).toBe(201);
      await t.runtime.services.readModels.catchUp();
    } finally {
      await t.close();
    }
    await telemetry?.shutdown(); // flushes the batch span processor and the metric reader
    const traces = Buffer.concat(received.filter((request) => request.path === "/v1/traces").map((request) => request.body));
    const metrics = Buffer.concat(received.filter((request) => request.path === "/v1/metrics").map((request) => request.body));
    for (const name of ["strata.command", "strata.append", "strata.project", "banking-test", "db.system.name"]) expect(traces.includes(name), `traces carry ${name}`).toBe(true);
    for (const name of ["strata.append.duration", "strata.events.appended"]) expect(metrics.includes(name), `metrics carry ${name}`).toBe(true);
    // Personal data never goes to the collector: spans carry ids, never event data.
    for (const secret of ["Olga", "olga@example.org"]) expect(traces.includes(secret)).toBe(false);
  });
});
