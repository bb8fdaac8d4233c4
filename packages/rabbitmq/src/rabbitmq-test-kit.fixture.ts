/** Test fixture: unique exchanges and queues on the shared RabbitMQ, deleted after the suite. */
import { randomBytes } from "node:crypto";
import { connect } from "amqplib";
import { afterAll } from "vitest";

/** The broker the tests use (`RABBITMQ_URL`, default the shared one). */
export const RABBITMQ_URL = process.env["RABBITMQ_URL"] ?? "amqp://guest:guest@127.0.0.1:5672";

/** Fresh names for one test: an exchange, a queue and a routing-key prefix. */
export function freshTopology(): { readonly exchange: string; readonly queue: string; readonly prefix: string } {
  const id = randomBytes(5).toString("hex");
  return { exchange: `strata-test-${id}`, queue: `strata-test-${id}`, prefix: `t${id}` };
}

/** Deletes exchanges and queues (ignoring those already gone). */
export async function deleteTopology(url: string, names: readonly { readonly exchange: string; readonly queue: string }[]): Promise<void> {
  const model = await connect(url);
  try {
    for (const { exchange, queue } of names) {
      const channel = await model.createChannel();
      channel.on("error", () => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.deleteExchange(exchange).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await model.close();
  }
}

/** The number of messages ready in `queue`. */
export async function queueDepth(url: string, queue: string): Promise<number> {
  const model = await connect(url);
  model.on("error", () => undefined);
  try {
    const channel = await model.createChannel();
    channel.on("error", () => undefined);
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await model.close();
  }
}

/**
 * Declares `topology` as the forwarder and consumer expect it: a durable topic exchange and a
 * durable single-active-consumer queue bound to it with `bindingKey` (default `<prefix>.#`).
 */
export async function declareTopology(url: string, topology: { readonly exchange: string; readonly queue: string; readonly prefix: string }, bindingKey = `${topology.prefix}.#`): Promise<void> {
  const model = await connect(url);
  try {
    const channel = await model.createChannel();
    await channel.assertExchange(topology.exchange, "topic", { durable: true });
    await channel.assertQueue(topology.queue, { durable: true, arguments: { "x-single-active-consumer": true } });
    await channel.bindQueue(topology.queue, topology.exchange, bindingKey);
  } finally {
    await model.close();
  }
}

/** Fresh topologies for one suite, each declared when made and all deleted after the suite. */
export interface TopologySuite {
  /** A fresh topology, declared (see {@link declareTopology}) with `bindingKey`. */
  readonly declare: (bindingKey?: string) => Promise<{ readonly exchange: string; readonly queue: string; readonly prefix: string }>;
}

/** Registers, in the current suite, the deletion after all tests of the topologies made with `declare`. */
export function useTopologies(url = RABBITMQ_URL): TopologySuite {
  const topologies: { readonly exchange: string; readonly queue: string }[] = [];
  afterAll(() => deleteTopology(url, topologies));
  return {
    declare: async (bindingKey) => {
      const topology = freshTopology();
      topologies.push(topology);
      await declareTopology(url, topology, bindingKey);
      return topology;
    },
  };
}
