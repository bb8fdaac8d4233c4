/** NATS JetStream for the bench: a fresh stream on the shared server. */
import { randomBytes } from "node:crypto";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, headers as natsHeaders } from "@nats-io/transport-node";
import { consumeJetStream, createJetStreamPublisher } from "@strata/nats";
import { categoryTypeDestination } from "@strata/runtime";
import { benchRegistry } from "./bench-registry.js";
import { pooled } from "./broker-under-test.js";
import type { BrokerUnderTest } from "./broker-under-test.js";

/** Sets up a fresh stream `BENCH_<id>` on `server`. */
export async function natsBroker(server: string): Promise<BrokerUnderTest> {
  const id = randomBytes(4).toString("hex");
  const stream = `STRATA_BENCH_${id}`;
  const prefix = `bench${id}`;
  const connection = await connect({ servers: server, maxReconnectAttempts: -1 });
  const manager = await jetstreamManager(connection);
  await manager.streams.add({ name: stream, subjects: [`${prefix}.>`] });
  // The baseline goes to a stream of its own: JetStream remembers message ids across a purge, so
  // the forwarder's publishes of the same events to the same stream would all be duplicates.
  await manager.streams.add({ name: `${stream}_RAW`, subjects: [`raw${prefix}.>`] });
  const js = jetstream(connection);
  return {
    name: `NATS JetStream (nats-server ${connection.info?.version ?? "?"})`,
    destination: categoryTypeDestination(prefix),
    publisher: () => createJetStreamPublisher({ connection }),
    rawPublish: (messages, window) =>
      pooled(messages, window, async (message) => {
        const headers = natsHeaders();
        for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
        await js.publish(`raw${message.destination}`, message.body, { msgID: message.id, headers });
      }),
    consume: (options) => consumeJetStream({ ...options, connection, stream, registry: benchRegistry, batchSize: 500, onError: (error) => console.error("consumer:", error) }),
    count: async () => (await manager.streams.info(stream)).state.messages,
    teardown: async () => {
      await manager.streams.delete(stream);
      await manager.streams.delete(`${stream}_RAW`);
      await connection.close();
    },
  };
}
