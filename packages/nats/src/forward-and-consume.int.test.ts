import { randomBytes } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { categoryTypeDestination, createProjectionEngine, defineForwarder, EVENT_HEADERS } from "@strata/runtime";
import { deliveryProblems, readReceived, recordingProjection } from "@strata/runtime/testing";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { expect, it } from "vitest";
import { producerRegistry } from "@strata/broker-testing";
import { consumeJetStream } from "./consume-jetstream.js";
import { createJetStreamPublisher } from "./jetstream-publisher.js";
import { useJetStream } from "./nats-test-kit.fixture.js";

describeEachBackend("forwarding to JetStream and consuming back", (backend) => {
  const jetStream = useJetStream();

  it("publishes every event once per stream order with its headers, and the consumer applies each once", async () => {
    const stream = jetStream.freshStream();
    const connection = jetStream.connection();
    const schema = backend.freshSchema();
    const store = await backend.createStore(producerRegistry, { schema, personalData: "unencrypted" });
    const publisher = await createJetStreamPublisher({ connection, stream: { name: stream.name, subjects: [`${stream.prefix}.>`] } });
    const forwarder = defineForwarder(producerRegistry, {
      name: "to-nats",
      handles: ["AccountOpened", "MoneyDeposited"],
      publisher,
      destination: categoryTypeDestination(stream.prefix),
      batchSize: 7,
      maxInFlight: 3,
    });
    const engine = await createProjectionEngine({ database: backend.database(), schema, registry: producerRegistry, subscriptions: [forwarder], pollMs: 50 });
    const appended = [];
    for (let round = 0; round < 6; round += 1) {
      for (const account of ["a", "b", "c", "d"]) {
        const events =
          round === 0
            ? [{ type: "AccountOpened" as const, data: { owner: `owner-${account}`, email: `${account}@example.org` } }]
            : [{ type: "MoneyDeposited" as const, data: { amount: round, currency: "EUR" } }];
        const result = await store.append(`account-${account}`, events, { metadata: { correlationId: `c-${account}` } });
        appended.push(...result.events);
      }
    }
    await engine.catchUp("to-nats");
    expect((await engine.status("to-nats"))[0]).toMatchObject({ kind: "subscription", state: "live", lagEvents: 0, eventsApplied: appended.length });

    const manager = await jetstreamManager(connection);
    expect((await manager.streams.info(stream.name)).state.messages).toBe(appended.length);
    const first = await manager.streams.getMessage(stream.name, { seq: 1 });
    const opened = appended[0];
    expect(first?.subject).toBe(`${stream.prefix}.account.AccountOpened`);
    expect(first?.header.get("Nats-Msg-Id")).toBe(opened?.id);
    expect(first?.header.get(EVENT_HEADERS.eventId)).toBe(opened?.id);
    expect(first?.header.get(EVENT_HEADERS.streamId)).toBe("account-a");
    expect(first?.header.get(EVENT_HEADERS.streamVersion)).toBe("1");
    expect(first?.header.get(EVENT_HEADERS.schemaVersion)).toBe("1");
    expect(first?.header.get(EVENT_HEADERS.globalPosition)).toBe(opened?.globalPosition.toString());
    expect(first?.header.get(EVENT_HEADERS.correlationId)).toBe("c-a");
    // Personal data is redacted by default: the broker never sees the e-mail address.
    expect(first?.json()).toEqual({ owner: "owner-a", email: { $erased: true } });

    const readSchema = `rm_${randomBytes(5).toString("hex")}`;
    const inboxSchema = `inbox_${randomBytes(5).toString("hex")}`;
    const consumer = await consumeJetStream({
      name: "recorder",
      connection,
      stream: stream.name,
      database: backend.database(),
      schema: inboxSchema,
      registry: producerRegistry,
      projection: recordingProjection(producerRegistry, { name: "recorder", schema: readSchema, handles: ["AccountOpened", "MoneyDeposited"] }),
      batchSize: 5,
    });
    try {
      const query = (text: string) => backend.query(text);
      await expect.poll(async () => (await readReceived(query, readSchema)).length, { timeout: 20_000, interval: 50 }).toBe(appended.length);
      const received = await readReceived(query, readSchema);
      expect(deliveryProblems(appended, received)).toEqual([]);
      expect(received[0]?.metadata).toMatchObject({ correlationId: "c-a" });
      expect(await consumer.inbox.position(stream.name)).toBe(BigInt(appended.length));
    } finally {
      await consumer.stop();
      await engine.close();
      await backend.query(`DROP SCHEMA IF EXISTS "${readSchema}" CASCADE`);
      await backend.query(`DROP SCHEMA IF EXISTS "${inboxSchema}" CASCADE`);
    }
  });
});
