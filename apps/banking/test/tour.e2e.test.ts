// The scripted tour, run end to end against a listening server (real HTTP on 127.0.0.1).
import { randomBytes } from "node:crypto";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningServer } from "../src/server.js";
import { startServer } from "../src/server.js";
import { runTour } from "../src/tour/run-tour.js";
import { testDatabase } from "./support/test-app.js";

describeEachBackend("tour", (backend) => {
  let server: RunningServer;
  const prefix = `tour_${randomBytes(5).toString("hex")}`;
  beforeAll(async () => {
    server = await startServer({ database: { kind: "open", database: testDatabase(backend) }, port: 0, storeSchema: backend.freshSchema(), readModelPrefix: prefix });
  });
  afterAll(async () => {
    await server.close();
    for (const name of ["balances", "transactions", "customers"]) await backend.query(`DROP SCHEMA IF EXISTS "${prefix}_${name}" CASCADE`);
  });

  it("runs clean against the seeded app, reading v1 and v2 events as v3", async () => {
    const lines: string[] = [];
    const report = await runTour(server.url, (line) => lines.push(line));
    const output = lines.join("\n");
    expect(report.steps).toBeGreaterThanOrEqual(14);
    expect(output).toContain("stored as v1, read as v3");
    expect(output).toContain("stored as v2, read as v3");
    expect(output).toMatch(/"source":"unknown"/);
    expect(output).toContain("applied once");
    expect(report.skipped).toEqual([]);
    expect(output).toContain('"name":{"$erased":true}');
  });
});
