import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { registryV1, testRegistry } from "../../test/fixtures/test-registry.js";
import { describeEachBackend } from "../testing/backends.js";
import { readReceived, recordingProjection } from "../testing/forwarding-kit.js";
import type { RecordedEvent } from "../store/recorded-event.js";
import { eventHeaders } from "./event-message.js";
import { createInbox } from "./inbox.js";
import type { IncomingMessage } from "./incoming-event.js";

const encoder = new TextEncoder();

/** A message as a broker would carry `event`, with `data` in `schemaVersion`. */
function message(event: Partial<RecordedEvent> & Pick<RecordedEvent, "type" | "data">, options: { position?: bigint; schemaVersion?: number; body?: string } = {}): IncomingMessage {
  const full = {
    id: randomUUID(),
    streamId: "account-1",
    version: 1,
    globalPosition: 1n,
    checkpoint: "",
    schemaVersion: options.schemaVersion ?? 1,
    storedSchemaVersion: 1,
    metadata: { correlationId: "c-1" },
    recordedAt: new Date("2026-01-02T03:04:05Z"),
    ...event,
  } as RecordedEvent;
  const headers = eventHeaders(full);
  return {
    messageId: options.position === undefined ? full.id : `s:${options.position}`,
    header: (name) => headers[name],
    body: encoder.encode(options.body ?? JSON.stringify(full.data)),
    ...(options.position === undefined ? {} : { position: { source: "s", sequence: options.position } }),
  };
}

describeEachBackend("inbox", (backend) => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  const fresh = () => {
    const id = randomBytes(5).toString("hex");
    schemas.push(`rm_${id}`, `inbox_${id}`);
    return { readSchema: `rm_${id}`, inboxSchema: `inbox_${id}` };
  };
  const query = (text: string) => backend.query(text);

  it("applies each event once by id and by position, in one transaction with the read model", async () => {
    const { readSchema, inboxSchema } = fresh();
    const inbox = await createInbox({
      name: "recorder",
      database: backend.database(),
      schema: inboxSchema,
      registry: testRegistry,
      projection: recordingProjection(testRegistry, { name: "recorder", schema: readSchema, handles: ["AccountOpened", "MoneyDeposited"] }),
    });
    const opened = message({ type: "AccountOpened", data: { owner: "Ada" } }, { position: 1n });
    const deposit = message({ type: "MoneyDeposited", version: 2, data: { amount: 5, currency: "EUR" } }, { position: 2n, schemaVersion: 2 });
    const closed = message({ type: "AccountClosed", version: 3, data: { reason: "done" } }, { position: 3n });
    expect(await inbox.deliver([opened, deposit, closed])).toEqual({ applied: 2, duplicates: 0, ignored: 1, deadLettered: 0 });
    // Redelivered by position (an ordered consumer restarting) and by id (a republish at a new position).
    const republished = { ...deposit, position: { source: "s", sequence: 4n }, messageId: "s:4" };
    expect(await inbox.deliver([opened, deposit, republished, republished])).toEqual({ applied: 0, duplicates: 4, ignored: 0, deadLettered: 0 });
    expect(await inbox.position("s")).toBe(4n);
    const received = await readReceived(query, readSchema);
    expect(received.map((event) => [event.type, event.version])).toEqual([
      ["AccountOpened", 1],
      ["MoneyDeposited", 2],
    ]);
    expect(received[0]?.metadata).toEqual({ correlationId: "c-1" });
    await inbox.close();
  });

  it("upcasts older versions with the consumer's registry and reads newer ones when they fit its latest schema", async () => {
    const { readSchema, inboxSchema } = fresh();
    // A consumer on the newer package receives v1 (upcast to v2).
    const newer = await createInbox({
      name: "newer",
      database: backend.database(),
      schema: inboxSchema,
      registry: testRegistry,
      projection: recordingProjection(testRegistry, { name: "newer", schema: readSchema, handles: ["MoneyDeposited"] }),
    });
    await newer.deliver([message({ type: "MoneyDeposited", data: { amount: 7 } }, { schemaVersion: 1 })]);
    expect((await readReceived(query, readSchema)).map((event) => [event.schemaVersion, event.data])).toEqual([[2, { amount: 7, currency: "EUR" }]]);
    await newer.close();

    // A consumer on the older package (v1 only) receives v2: forward compatible, read as its v1.
    const older = fresh();
    const oldInbox = await createInbox({
      name: "older",
      database: backend.database(),
      schema: older.inboxSchema,
      registry: registryV1,
      projection: recordingProjection(registryV1, { name: "older", schema: older.readSchema, handles: ["MoneyDeposited"] }),
      failure: { maxAttempts: 2, backoff: { initialMs: 1, maxMs: 1 }, onExhausted: "dead-letter" },
    });
    const fits = message({ type: "MoneyDeposited", data: { amount: 9, currency: "EUR" } }, { schemaVersion: 2 });
    const doesNotFit = message({ type: "MoneyDeposited", data: { amount: -1, currency: "EUR" } }, { schemaVersion: 2 });
    const notJson = message({ type: "MoneyDeposited", data: {} }, { schemaVersion: 2, body: "{oops" });
    expect(await oldInbox.deliver([fits, doesNotFit, notJson])).toEqual({ applied: 1, duplicates: 0, ignored: 0, deadLettered: 2 });
    expect((await readReceived(query, older.readSchema)).map((event) => [event.schemaVersion, event.data])).toEqual([[1, { amount: 9 }]]);
    const dead = await oldInbox.deadLetters();
    expect(dead.map((letter) => [letter.error, letter.attempts])).toEqual([
      ["MESSAGE_INCOMPATIBLE", 2],
      ["MESSAGE_INVALID", 2],
    ]);
    // A dead-lettered event counts as handled: delivered again, it is a duplicate.
    expect(await oldInbox.deliver([doesNotFit])).toMatchObject({ applied: 0, duplicates: 1 });
    await oldInbox.close();
  });

  it("stops on a failing handler with policy stop, applying nothing of the failing message", async () => {
    const { inboxSchema } = fresh();
    const applied: string[] = [];
    const inbox = await createInbox({
      name: "strict",
      database: backend.database(),
      schema: inboxSchema,
      registry: testRegistry,
      handler: {
        handles: ["AccountOpened"],
        handle: async (events) => {
          for (const event of events) {
            if (event.data.owner === "Bad") throw new Error("cannot apply");
            applied.push(event.id);
          }
        },
      },
      failure: { maxAttempts: 3, backoff: { initialMs: 1, maxMs: 2 } },
    });
    const good = message({ type: "AccountOpened", data: { owner: "Ada" } });
    const bad = message({ type: "AccountOpened", data: { owner: "Bad" } });
    await expect(inbox.deliver([good, bad])).rejects.toMatchObject({ code: "CONSUMER_STOPPED", eventId: bad.header("strata-event-id") });
    // The good message was applied when the batch was split to find the bad one; once, despite the retry.
    expect(await inbox.deliver([good])).toMatchObject({ applied: 0, duplicates: 1 });
    expect(new Set(applied)).toEqual(new Set([good.header("strata-event-id")]));
    await inbox.close();
  });
});
