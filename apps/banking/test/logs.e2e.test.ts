// Structured logs carry ids, codes and timings, never personal data: not on success, not on a
// refused request, not on a failed one.
import { Writable } from "node:stream";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildApp } from "../src/http/build-app.js";
import { LOG_REDACT_PATHS } from "../src/infra/logger.js";
import { address, call } from "./support/http.js";
import type { TestApp } from "./support/test-app.js";
import { openTestApp } from "./support/test-app.js";

describeEachBackend("logs", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(backend);
  });
  afterAll(async () => {
    await t.close();
  });

  it("never contain a customer's name, email or address", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const logger = pino({ level: "trace", redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" } }, sink);
    const app = await buildApp({ services: t.runtime.services, logger });
    const person = { name: "Petra Private", email: "petra.private@example.org", address: { ...address, street: "Secretstrasse 9" } };
    const created = await call(app, "POST", "/customers", { body: person });
    expect(created.status).toBe(201);
    await call(app, "POST", "/customers", { body: { ...person, email: "petra.private-at-nowhere" } });
    await call(app, "POST", "/customers", { body: { ...person, address: "Secretstrasse 9" } });
    await t.runtime.services.readModels.catchUp();
    expect((await call(app, "GET", `/customers/${String(created.body["customerId"])}`)).body).toMatchObject({ name: person.name });
    await call(app, "GET", `/customers/${String(created.body["customerId"])}/export`);
    await app.close();

    const log = lines.join("");
    expect(lines.length).toBeGreaterThan(8);
    expect(log).toContain(String(created.body["customerId"]));
    for (const secret of ["Petra", "petra.private", "Secretstrasse"]) expect(log).not.toContain(secret);
  });
});
