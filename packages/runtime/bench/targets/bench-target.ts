/**
 * The contract both systems under test implement: the raw-`pg` baseline and the Strata store.
 * Workloads are written once against it, so both sides run exactly the same sequence of
 * operations; each target implements an operation the way its users would.
 */

/** An event as the workloads produce it. `data.ref` is unique per run and identifies the event on both sides. */
export interface BenchEvent {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>> & { readonly ref: string };
  /** Event id; the raw table has no id column (see the spec), so only Strata stores it. */
  readonly id: string;
}

/** What a workload reads back. */
export interface ReadEvent {
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly id?: string;
  readonly position?: bigint | number | string;
}

/** `no_stream` for the first append to a stream, else the stream's current version. */
export type BenchExpectedVersion = number | "no_stream";

/** One writer appending to a stream that other writers append to as well (W5). */
export interface ContendedWriter {
  /** Appends one event, retrying on conflict; resolves to the number of conflicts it met. */
  append(event: BenchEvent): Promise<number>;
}

/** A seeded event for W4: `schemaVersion` 1 is stored in its older shape and upcast on read. */
export interface HistoricEvent {
  readonly event: BenchEvent;
  readonly schemaVersion: 1 | 2;
}

/** One target on one fresh PostgreSQL schema. */
export interface TargetSession {
  /** Opens connections up to `concurrency` without writing an event, so a measurement starts warm. */
  warmUp(concurrency: number): Promise<void>;
  /** One append of one or more events, with an exact expected version. */
  append(streamId: string, events: readonly BenchEvent[], expected: BenchExpectedVersion): Promise<void>;
  /** A writer for a stream shared with other writers, using optimistic concurrency and retry. */
  contendedWriter(streamId: string): ContendedWriter;
  /** Writes a stream whose events are stored in the schema version given, untimed setup for W4. */
  seedHistoric(streamId: string, events: readonly HistoricEvent[]): Promise<void>;
  /** Reads a whole stream in version order. */
  readStream(streamId: string): Promise<ReadEvent[]>;
  /**
   * Reads every event of the schema in global order, `pageSize` events per query, until a page
   * comes back short. `expected` is how many events the workload wrote: a target whose reads may
   * lag behind in-flight transactions (Strata's do, by design) keeps polling until it has seen
   * that many, and gives up after a while without progress.
   */
  readAll(pageSize: number, expected: number): Promise<ReadEvent[]>;
  /** Target-specific counters for the JSON report, for example how often a read waited. */
  counters?(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

/** A system under test: opens a session on a fresh schema and drops it afterwards. */
export interface BenchTarget {
  readonly name: "raw" | "strata";
  /** One line on how this target is configured, for the report. */
  readonly description: string;
  /** The server, without the per-run `application_name`. */
  readonly connectionString: string;
  /** `connectionString` carries the run's `application_name`, so the harness can bill the backends' CPU to it. */
  open(schema: string, options: { readonly poolSize: number; readonly connectionString: string }): Promise<TargetSession>;
}
