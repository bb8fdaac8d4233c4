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
    server = await startServer({ database: { kind: "open", database: testDatabase(backend) }, port: 0, storeSchema: backend.freshSchema(), readModelPrefix: prefix, transferWaitMs: 60_000 });
  });
  afterAll(async () => {
    await server.close();
    for (const name of ["balances", "transactions", "customers"]) await backend.query(`DROP SCHEMA IF EXISTS "${prefix}_${name}" CASCADE`);
  });

  it("runs clean against the seeded app: login, v1 and v2 events read as v4, a transfer resumed after a crash, an out-of-bounds amount refused", async () => {
    const lines: string[] = [];
    const transfers = server.runtime.transfers;
    const users = server.runtime.services.auth.devUsers ?? [];
    const report = await runTour(server.url, { users, transferProcess: { crash: () => transfers.stop(), restart: () => transfers.start() } }, (line) => lines.push(line));
    const output = lines.join("\n");
    expect(report.steps).toBeGreaterThanOrEqual(14);
    expect(output).toContain("stored as v1, read as v4");
    expect(output).toContain("stored as v2, read as v4");
    expect(output).toContain("POST /auth/token → 200");
    expect(output).toContain("now completed: nobody retried anything");
    expect(output).toMatch(/→ 400 .*money\.amountMinor/);
    expect(output).toMatch(/"source":"unknown"/);
    expect(output).toContain("applied once");
    expect(report.skipped).toEqual([]);
    expect(output).toContain('"name":{"$erased":true}');
  });
});
