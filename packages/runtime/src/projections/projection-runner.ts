/**
 * The runner of one projection or subscription: takes the lease (one active runner per name
 * across processes), prepares the read model, then loops over steps, catching up and following
 * live appends. Failures are retried with backoff, event by event, and end in the `failed`
 * state after `maxAttempts`, or, under the dead-letter policy, in a dead letter while the
 * runner goes on; nothing is skipped silently.
 */
import { HandlerFailure } from "./internal/handler-failure.js";
import { runStep } from "./internal/run-step.js";
import type { ReadAhead, StepContext, Target } from "./internal/run-step.js";
import { dropSchema, migrateReadModel, rebuildSchemaOf } from "./internal/read-model-schema.js";
import { describeFailure } from "./projection-errors.js";
import { sleep } from "./internal/sleep.js";
import type { RunnerSettings } from "./runner-settings.js";
import { deadLetter, policyOf } from "./internal/dead-letter-step.js";

/** What a tick ended with. */
export type Tick = "progress" | "idle" | "failed" | "standby";

/** Drives one unit; created by the engine. */
export class ProjectionRunner {
  readonly #ctx: StepContext;
  readonly #settings: RunnerSettings;
  #active = false;
  #isolate = 0;
  #attempts = 0;
  #infraAttempts = 0;
  #toggle = false;
  #liveMigrated = false;
  #wakeUp: (() => void) | undefined;
  #woken = false;
  /** Per target, the size of the next batch while catching up (absent: the base size). */
  readonly #grown = new Map<Target, number>();
  /** Per target, the page read ahead during the last batch. */
  readonly #readAhead = new Map<Target, ReadAhead>();

  constructor(ctx: StepContext, settings: RunnerSettings) {
    this.#ctx = ctx;
    this.#settings = settings;
  }

  /** Whether this runner holds the lease. */
  get active(): boolean {
    return this.#active;
  }

  /** Ends the current wait early (an append was notified). */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /** Waits up to `ms`, or until {@link wake}; resolves to whether it was woken. */
  async wait(ms: number): Promise<boolean> {
    if (this.#woken) {
      this.#woken = false;
      return true;
    }
    const woken = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.#wakeUp = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    this.#wakeUp = undefined;
    this.#woken = false;
    return woken;
  }

  /** Gives the lease back (a graceful stop): a standby takes over at once. */
  async release(): Promise<void> {
    if (!this.#active) return;
    this.#active = false;
    const { access, book, unit, owner } = this.#ctx;
    await access.transaction((trx) => book.release(trx, unit.name, owner));
  }

  /** One step of work. */
  async tick(): Promise<Tick> {
    const { access, book, unit, owner } = this.#ctx;
    if (!this.#active) {
      this.#active = await access.transaction((trx) => book.acquire(trx, unit.name, owner, this.#settings.leaseMs));
      if (!this.#active) return "standby";
    }
    try {
      const targets = await this.#targets();
      if (targets === "outdated") {
        // A newer version of this projection owns the row: leave it to the newer code.
        await this.release();
        return "standby";
      }
      let idle = true;
      for (const target of targets) {
        const limit = this.#isolate > 0 ? 1 : (this.#grown.get(target) ?? this.#baseBatch());
        // Only when the batch size is settled: a failure being isolated reads one event at a time.
        const nextLimit = this.#isolate > 0 ? undefined : Math.min(limit * 2, this.#maxBatch());
        const readAhead = this.#readAhead.get(target);
        this.#readAhead.delete(target);
        const begun = performance.now();
        const outcome = await runStep(this.#ctx, target, limit, { readAhead, nextLimit });
        if (outcome.kind === "applied" && outcome.readAhead !== undefined) this.#readAhead.set(target, outcome.readAhead);
        // Catching up (a full page): the next batch is larger, up to the maximum; back to the base
        // once caught up. Kept when a batch already takes a tenth of the lease: no longer batches then.
        const full = outcome.kind === "applied" && this.#isolate === 0 && outcome.count >= limit && !outcome.caughtUp && nextLimit !== undefined;
        if (!full) this.#grown.delete(target);
        else if (performance.now() - begun < this.#settings.leaseMs / 10) this.#grown.set(target, nextLimit);
        else this.#grown.set(target, limit);
        if (outcome.kind === "lease-lost") {
          this.#active = false;
          return "standby";
        }
        if (outcome.kind === "failed-state") return "failed";
        this.#infraAttempts = 0;
        if (outcome.count > 0) {
          this.#attempts = 0;
          this.#isolate = Math.max(0, this.#isolate - outcome.count);
          this.#settings.onProgress?.({ name: unit.name, target, applied: outcome.count, caughtUp: outcome.caughtUp, swapped: outcome.swapped });
        }
        if (outcome.count > 0 || !outcome.caughtUp || outcome.swapped) idle = false;
      }
      return idle ? "idle" : "progress";
    } catch (error) {
      return this.#onError(error);
    }
  }

  /** Events per batch when following live appends (and the first batch of a catch-up). */
  #baseBatch(): number {
    const { unit } = this.#ctx;
    return unit.batchSize ?? this.#settings.defaultBatchSize(unit.kind);
  }

  /**
   * The largest batch while catching up: a projection's `catchUpBatchSize`, else 5 000 when its
   * `batchSize` is not set; a set `batchSize` alone, and every subscription, keep fixed batches.
   */
  #maxBatch(): number {
    const { unit } = this.#ctx;
    const base = this.#baseBatch();
    if (unit.kind !== "projection") return base;
    return Math.max(base, unit.catchUpBatchSize ?? (unit.batchSize === undefined ? this.#settings.defaultCatchUpBatchSize : base));
  }

  /** Which checkpoints to advance this tick; prepares a rebuild's schema first when needed. */
  async #targets(): Promise<readonly Target[] | "outdated"> {
    const { access, book, unit } = this.#ctx;
    if (unit.kind === "subscription") return ["live"];
    let row = await access.transaction((trx) => book.get(trx, unit.name));
    if (row === undefined) throw new Error(`projection row "${unit.name}" vanished`);
    if (row.version > unit.version) return "outdated";
    if (row.version < unit.version && row.rebuild_version !== unit.version) {
      await access.transaction((trx) => book.requestRebuild(trx, unit.name, unit.version));
      row = { ...row, rebuild_version: unit.version, rebuild_ready: false };
    }
    const rebuilding = row.rebuild_version === unit.version;
    if (rebuilding && !row.rebuild_ready) {
      await dropSchema(access, rebuildSchemaOf(unit));
      await migrateReadModel(access, unit, rebuildSchemaOf(unit));
      await access.transaction((trx) => book.markRebuildReady(trx, unit.name));
    }
    const live = row.version === unit.version;
    if (live && !this.#liveMigrated) {
      // Creates the read-model schema on first start; applies migrations added since, in place.
      await migrateReadModel(access, unit, unit.schema);
      this.#liveMigrated = true;
    }
    if (!rebuilding) return ["live"];
    if (!live) return ["rebuild"];
    // A manual rebuild at the same version: the live read model keeps following meanwhile.
    this.#toggle = !this.#toggle;
    return this.#toggle ? ["live", "rebuild"] : ["rebuild", "live"];
  }

  async #onError(error: unknown): Promise<Tick> {
    const { access, book, unit } = this.#ctx;
    const { onError } = this.#settings;
    const { maxAttempts, backoff, onExhausted } = policyOf(unit, this.#settings);
    if (!(error instanceof HandlerFailure)) {
      // The database or an upcaster failed, not the handler: keep retrying, never skip.
      this.#infraAttempts += 1;
      onError?.(error, { name: unit.name, attempt: this.#infraAttempts });
      // Never stopped, but never silent either: after as many attempts as a handler gets, status shows it.
      if (this.#infraAttempts % maxAttempts === 0) {
        await access.transaction((trx) => book.recordStall(trx, unit.name, describeFailure(error))).catch(() => undefined);
      }
      await sleep(backoff(this.#infraAttempts));
      return "progress";
    }
    if (this.#grown.has(error.target) && error.events.length > this.#baseBatch()) {
      // A grown catch-up batch failed: try again at the base size before isolating event by event.
      this.#grown.delete(error.target);
      return "progress";
    }
    const [event] = error.events;
    if (error.events.length > 1 || event === undefined) {
      // Find the failing event: retry this batch's events one per transaction.
      this.#isolate = error.events.length;
      return "progress";
    }
    this.#attempts += 1;
    onError?.(error.cause, { name: unit.name, attempt: this.#attempts, eventId: event.id, eventType: event.type });
    if (this.#attempts < maxAttempts) {
      await sleep(backoff(this.#attempts));
      return "progress";
    }
    const attempts = this.#attempts;
    this.#attempts = 0;
    this.#isolate = 0;
    if (onExhausted === "dead-letter" && error.target === "live") {
      const moved = await deadLetter(this.#ctx, event, attempts, error.cause);
      if (!moved) this.#active = false;
      return moved ? "progress" : "standby";
    }
    await access.transaction((trx) =>
      book.markFailed(trx, unit.name, {
        eventId: event.id,
        eventType: event.type,
        checkpoint: event.checkpoint,
        inRebuild: error.target === "rebuild",
        attempts,
        error: describeFailure(error.cause),
      }),
    );
    return "failed";
  }
}
