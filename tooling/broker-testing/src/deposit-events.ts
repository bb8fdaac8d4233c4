/** Recorded events made up for a broker, as a forwarder would publish them, without a store. */
import { randomUUID } from "node:crypto";
import type { RecordedEvent } from "@strata/runtime";

/** `count` MoneyDeposited events (v2) round-robin over 10 streams `account-0`…`account-9`, in global order. */
export function depositEvents(count: number): RecordedEvent[] {
  return Array.from(
    { length: count },
    (_, n) =>
      ({
        id: randomUUID(),
        streamId: `account-${n % 10}`,
        version: Math.floor(n / 10) + 1,
        globalPosition: BigInt(n + 1),
        checkpoint: "",
        type: "MoneyDeposited",
        schemaVersion: 2,
        storedSchemaVersion: 2,
        data: { amount: n + 1, currency: "EUR" },
        metadata: {},
        recordedAt: new Date(),
      }) as RecordedEvent,
  );
}

/** Publishes `events` with each stream in order and the 10 streams side by side, as a forwarder does. */
export async function publishPerStream(events: readonly RecordedEvent[], publish: (event: RecordedEvent) => Promise<void>): Promise<void> {
  const streams = [...new Set(events.map((event) => event.streamId))];
  await Promise.all(
    streams.map(async (stream) => {
      for (const event of events.filter((candidate) => candidate.streamId === stream)) await publish(event);
    }),
  );
}
