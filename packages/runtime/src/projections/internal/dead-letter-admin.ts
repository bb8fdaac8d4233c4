/**
 * The operator's side of dead letters: list, retry (a stream's dead letters, in stream order, in
 * one transaction with the read-model writes), drop (a failed one; the events parked behind it
 * then apply).
 */
import type { Transaction } from "kysely";
import { validate as isUuidLike } from "uuid";
import type { DeadLetter, DeadLetterRetryReport } from "../dead-letter.js";
import { errorCodeOf } from "../dead-letter.js";
import { DeadLetterNotFoundError, describeFailure } from "../projection-errors.js";
import type { Bookkeeping } from "./bookkeeping.js";
import type { DeadLetters } from "./dead-letters.js";
import { HandlerFailure } from "./handler-failure.js";
import type { Unit } from "./run-step.js";
import type { StoreAccess } from "./store-access.js";

/**
 * Locks what serialises a retry of `streamId`'s dead letters with the batches that could apply
 * the same stream: the projection's row (engine) or the stream's partition row (scale-out).
 */
export type DeadLetterLock = (trx: Transaction<unknown>, name: string, streamId: string) => Promise<void>;

/** The engine's lock: the projection's row. */
export function projectionRowLock(book: Bookkeeping): DeadLetterLock {
  return async (trx, name) => void (await book.lock(trx, name));
}

/** Dead-letter operations for the engine and the scale-out workers. */
export function deadLetterAdmin(access: Pick<StoreAccess, "transaction" | "readEvents">, lock: DeadLetterLock, dead: DeadLetters) {
  const retryStream = async (unit: Unit, streamId: string): Promise<{ applied: number; failed?: DeadLetter }> => {
    try {
      const applied = await access.transaction(async (trx) => {
        // No batch that could apply this stream overlaps this retry.
        await lock(trx, unit.name, streamId);
        const entries = await dead.ofStream(trx, unit.name, streamId);
        if (entries.length === 0) return 0;
        const events = await access.readEvents(trx, entries.map((entry) => entry.eventId));
        try {
          if (unit.kind === "projection") await unit.handle(events, { db: trx.withSchema(unit.schema), schema: unit.schema, rebuilding: false });
          else await unit.handle(events);
        } catch (error) {
          throw new HandlerFailure(events, "live", error);
        }
        await dead.remove(trx, unit.name, entries.map((entry) => entry.eventId));
        return events.length;
      });
      return { applied };
    } catch (error) {
      if (!(error instanceof HandlerFailure)) throw error;
      const failed = await access.transaction(async (trx) => {
        const [first] = (await dead.ofStream(trx, unit.name, streamId)).filter((entry) => entry.status === "failed");
        if (first === undefined) return undefined;
        await dead.failedAgain(trx, unit.name, first.eventId, errorCodeOf(error.cause), describeFailure(error.cause));
        return (await dead.ofStream(trx, unit.name, streamId)).find((entry) => entry.eventId === first.eventId);
      });
      return failed === undefined ? { applied: 0 } : { applied: 0, failed };
    }
  };

  return {
    list: (name?: string): Promise<readonly DeadLetter[]> => access.transaction((trx) => dead.list(trx, name)),
    /** Retries every stream with dead letters, or the stream of `eventId`. */
    async retry(unit: Unit, eventId?: string): Promise<DeadLetterRetryReport> {
      const letters = await access.transaction((trx) => dead.list(trx, unit.name));
      let streams: string[];
      if (eventId === undefined) {
        streams = [...new Set(letters.map((letter) => letter.streamId))];
      } else {
        const letter = isUuidLike(eventId) ? letters.find((candidate) => candidate.eventId === eventId.toLowerCase()) : undefined;
        if (letter === undefined) throw new DeadLetterNotFoundError({ projection: unit.name, eventId, action: "retry" });
        streams = [letter.streamId];
      }
      let applied = 0;
      const failed: DeadLetter[] = [];
      for (const streamId of streams) {
        const outcome = await retryStream(unit, streamId);
        applied += outcome.applied;
        if (outcome.failed !== undefined) failed.push(outcome.failed);
      }
      return { applied, failed };
    },
    /** Drops a failed dead letter (recorded in `projection_skips`), then applies the events parked behind it. */
    async drop(unit: Unit, eventId: string): Promise<DeadLetterRetryReport> {
      const dropped = isUuidLike(eventId) ? await access.transaction(async (trx) => {
        const letter = (await dead.list(trx, unit.name)).find((candidate) => candidate.eventId === eventId.toLowerCase());
        if (letter === undefined) return undefined;
        await lock(trx, unit.name, letter.streamId);
        return dead.drop(trx, unit.name, eventId.toLowerCase());
      }) : undefined;
      if (dropped === undefined) throw new DeadLetterNotFoundError({ projection: unit.name, eventId, action: "drop" });
      const outcome = await retryStream(unit, dropped.streamId);
      return { applied: outcome.applied, failed: outcome.failed === undefined ? [] : [outcome.failed] };
    },
  };
}
