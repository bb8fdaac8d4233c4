import { setTimeout } from "node:timers/promises";
import { createEventStore, isStrataError } from "@strata/runtime";
import type { EventRegistry, EventStore, ExpectedVersion, RecordedEvent } from "@strata/runtime";
import { benchRegistry, benchRegistryV1 } from "../fixtures/bench-registry.js";
import type { BenchEvent, BenchTarget, ContendedWriter, HistoricEvent, ReadEvent, TargetSession } from "./bench-target.js";

/** How long a global read waits between polls when the read horizon lags behind what was written. */
const HORIZON_POLL_MS = 5;
/** How long a global read keeps polling without progress before it reports what it has. */
const HORIZON_PATIENCE_MS = 10_000;

function toReadEvent(event: RecordedEvent): ReadEvent {
  // No `position`: Strata's global order is (transaction id, position), so positions alone need
  // not increase along it, and the checkpoint is opaque by contract.
  return { streamId: event.streamId, version: event.version, type: event.type, data: event.data as Record<string, unknown>, id: event.id };
}

class StrataSession implements TargetSession {
  #horizonWaits = 0;

  constructor(
    private readonly store: EventStore,
    /** Opens another store on the same schema, for W4's "older deployment". */
    private readonly openWith: (registry: EventRegistry) => Promise<EventStore>,
  ) {}

  async warmUp(concurrency: number): Promise<void> {
    // Reading a stream that does not exist opens a pooled connection and writes nothing.
    await Promise.all(Array.from({ length: concurrency }, () => this.readStream("bench-warm-up")));
  }

  async append(streamId: string, events: readonly BenchEvent[], expected: number | "no_stream"): Promise<void> {
    await this.store.append(streamId, events, { expectedVersion: expected });
  }

  contendedWriter(streamId: string): ContendedWriter {
    let known: ExpectedVersion = "no_stream";
    return {
      append: async (event) => {
        for (let conflicts = 0; ; conflicts++) {
          try {
            known = (await this.store.append(streamId, [event], { expectedVersion: known })).nextExpectedVersion;
            return conflicts;
          } catch (error) {
            if (!isStrataError(error, "STREAM_CONFLICT")) throw error;
            known = error.actualVersion === 0 ? "no_stream" : error.actualVersion;
          }
        }
      },
    };
  }

  async seedHistoric(streamId: string, events: readonly HistoricEvent[]): Promise<void> {
    // v1 events go in through a store opened with the registry of a deployment that only knew
    // v1 (the store writes the registry's latest version): how old events come to exist.
    const old = await this.openWith(benchRegistryV1);
    let version = 0;
    try {
      for (const [schemaVersion, store] of [
        [1, old],
        [2, this.store],
      ] as const) {
        const mine = events.filter((e) => e.schemaVersion === schemaVersion).map((e) => e.event);
        for (let i = 0; i < mine.length; i += 500) {
          const batch = mine.slice(i, i + 500);
          await store.append(streamId, batch, { expectedVersion: version });
          version += batch.length;
        }
      }
    } finally {
      await old.close();
    }
  }

  async readStream(streamId: string): Promise<ReadEvent[]> {
    const events: ReadEvent[] = [];
    for await (const event of this.store.readStream(streamId)) events.push(toReadEvent(event));
    return events;
  }

  async readAll(pageSize: number, expected: number): Promise<ReadEvent[]> {
    const events: ReadEvent[] = [];
    let after: string | undefined;
    let lastProgress = performance.now();
    for (;;) {
      const page = await this.store.readAll(after === undefined ? { limit: pageSize } : { after, limit: pageSize });
      for (const event of page.events) events.push(toReadEvent(event));
      after = page.checkpoint;
      if (page.events.length > 0) lastProgress = performance.now();
      if (!page.caughtUp) continue;
      if (events.length >= expected || performance.now() - lastProgress > HORIZON_PATIENCE_MS) return events;
      // Caught up short of what was written: a transaction elsewhere on the server holds the
      // read horizon back (DESIGN.md §5). Readers wait rather than skip; so does the benchmark,
      // on the clock, and it counts how often.
      this.#horizonWaits++;
      await setTimeout(HORIZON_POLL_MS);
    }
  }

  counters(): Readonly<Record<string, number>> {
    return { horizonWaits: this.#horizonWaits };
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

/** Strata's event store on the same PostgreSQL server, with the store's default settings. */
export function strataTarget(connectionString: string): BenchTarget {
  return {
    name: "strata",
    description: "createEventStore({ database: { kind: 'postgres', poolSize: 8 } }): zod validation on append, upcasting on read",
    connectionString,
    async open(schema, { poolSize, connectionString: tagged }) {
      const openWith = (registry: EventRegistry): Promise<EventStore> =>
        createEventStore({ registry, database: { kind: "postgres", connectionString: tagged, poolSize }, schema, migrate: true });
      return new StrataSession(await openWith(benchRegistry), openWith);
    },
  };
}
