/**
 * One delivery attempt of the inbox: every message of a batch in ONE transaction of the
 * consumer's database — the positions locked, the event ids claimed, the new events applied by
 * the projection, the positions moved — so a crash anywhere leaves either all of it or none.
 */
import type { Transaction } from "kysely";
import { isStrataError } from "../../errors.js";
import type { EventShape } from "../../registry.js";
import type { Storage } from "../../storage/storage.js";
import { wrapDriverError } from "../../storage/driver-errors.js";
import type { Projection } from "../../projections/projection.js";
import type { RecordedEvent } from "../../store/recorded-event.js";
import { errorType } from "../../telemetry/strata-tracer.js";
import { peekEvent } from "../incoming-event.js";
import type { IncomingMessage } from "../incoming-event.js";
import type { InboxHandler } from "../inbox.js";
import type { InboxTables } from "./inbox-tables.js";

/** The projection or handler threw: the message's fault (counted by the failure policy). */
export class ApplyFailure extends Error {
  constructor(cause: unknown) {
    super("the consumer's handler failed", { cause });
  }
}

/** What a receive did. */
export interface ReceiveCounts {
  readonly applied: number;
  readonly duplicates: number;
  readonly ignored: number;
}

/** Receives batches for one inbox. */
export interface InboxReceiver {
  readonly name: string;
  receive(messages: readonly IncomingMessage[]): Promise<ReceiveCounts>;
  /** Records `message` as given up: its id counts as handled, its position moves past it. */
  deadLetter(message: IncomingMessage, attempts: number, error: unknown): Promise<void>;
}

/** Builds the receiver of one inbox. */
export function openInboxReceiver(options: {
  readonly name: string;
  readonly storage: Storage;
  readonly tables: InboxTables;
  readonly target: Projection | InboxHandler<EventShape, string>;
  readonly decode: (message: IncomingMessage) => RecordedEvent;
}): InboxReceiver {
  const { name, storage, tables, target, decode } = options;
  const handles = new Set<string>(target.handles);
  const transaction = <T>(work: (trx: Transaction<unknown>) => Promise<T>): Promise<T> =>
    storage.withKysely(async (db) => {
      try {
        return await db.transaction().execute(work);
      } catch (error) {
        throw error instanceof ApplyFailure || isStrataError(error) ? error : wrapDriverError(error);
      }
    });
  const apply = async (trx: Transaction<unknown>, events: readonly RecordedEvent[]): Promise<void> => {
    try {
      if ("kind" in target && target.kind === "projection") await target.handle(events, { db: trx.withSchema(target.schema), schema: target.schema, rebuilding: false });
      else await (target as InboxHandler<EventShape, string>).handle(events as never, { db: trx });
    } catch (error) {
      throw new ApplyFailure(error);
    }
  };

  return {
    name,
    receive: (messages) =>
      transaction(async (trx) => {
        const floors = new Map<string, bigint | undefined>();
        const highest = new Map<string, bigint>();
        for (const { position } of messages) {
          if (position === undefined) continue;
          if (!floors.has(position.source)) floors.set(position.source, await tables.lockPosition(trx, name, position.source));
          if (position.sequence > (highest.get(position.source) ?? 0n)) highest.set(position.source, position.sequence);
        }
        let duplicates = 0;
        let ignored = 0;
        const candidates: { readonly message: IncomingMessage; readonly id: string }[] = [];
        for (const message of messages) {
          const floor = message.position === undefined ? undefined : floors.get(message.position.source);
          if (floor !== undefined && message.position !== undefined && message.position.sequence <= floor) {
            duplicates += 1;
            continue;
          }
          const { id, type } = peekEvent(name, message);
          if (!handles.has(type)) ignored += 1;
          else candidates.push({ message, id });
        }
        const claimed = await tables.claim(trx, name, [...new Set(candidates.map((candidate) => candidate.id))]);
        const events: RecordedEvent[] = [];
        const taken = new Set<string>();
        for (const { message, id } of candidates) {
          if (!claimed.has(id) || taken.has(id)) {
            duplicates += 1;
            continue;
          }
          taken.add(id);
          events.push(decode(message));
        }
        if (events.length > 0) await apply(trx, events);
        for (const [source, sequence] of highest) await tables.setPosition(trx, name, source, sequence);
        return { applied: events.length, duplicates, ignored };
      }),
    deadLetter: (message, attempts, error) =>
      transaction(async (trx) => {
        let event: { id: string; type: string } | undefined;
        try {
          event = peekEvent(name, message);
        } catch {
          event = undefined;
        }
        if (event !== undefined) await tables.claim(trx, name, [event.id]);
        const cause = error instanceof ApplyFailure ? error.cause : error;
        await tables.addDeadLetter(trx, name, { messageId: message.messageId, eventId: event?.id ?? null, eventType: event?.type ?? null, attempts, error: errorType(cause) });
        if (message.position !== undefined) {
          await tables.lockPosition(trx, name, message.position.source);
          await tables.setPosition(trx, name, message.position.source, message.position.sequence);
        }
      }),
  };
}
