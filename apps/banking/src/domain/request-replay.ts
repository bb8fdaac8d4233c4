/**
 * Finding the event a retried request recorded before: the `Idempotency-Key` became its event id,
 * and its metadata holds the request's fingerprint (`http/request-fingerprint.ts`). The same
 * fingerprint is the same request (answer as before); another one reuses the key (422). Shared by
 * the commands (`bank.ts`) and the transfer's start (`start-transfer.ts`).
 *
 * @module
 */
import type { BankingEvent, BankingReadEvent } from "@strata/banking-events";
import type { EventStore, RecordedEvent } from "@strata/runtime";
import { DomainRejection } from "./domain-rejection.js";

/** The metadata key of a request's fingerprint. */
export const FINGERPRINT_KEY = "requestFingerprint";

/** A request's fingerprint: the `value` stored with its event, and whether a stored one is of the same request. */
export interface RequestFingerprint {
  readonly value: string;
  /** True when `recorded` (a stored fingerprint, in any format this app ever stored) is of this request. */
  readonly matches: (recorded: string) => boolean;
}

/** How far back a retry first looks: it usually follows its original closely. */
export const RECENT_WINDOW = 100;

/**
 * Looks for an event id among the last `window` events of a stream (`"all"`: the whole stream,
 * newest first).
 */
export async function findRecentEvent(store: EventStore<BankingEvent, BankingReadEvent>, streamId: string, eventId: string, window: number | "all" = RECENT_WINDOW): Promise<RecordedEvent<BankingReadEvent> | undefined> {
  if ((await store.streamVersion(streamId)) === undefined) return undefined;
  const range = window === "all" ? {} : { limit: window, pageSize: window };
  for await (const event of store.readStream(streamId, { direction: "backward", ...range })) {
    if (event.id === eventId) return event;
  }
  return undefined;
}

/**
 * The event `eventId` of `streamId` when a request recorded it before, else `undefined`. Throws
 * {@link DomainRejection} `idempotency_key_reused` when it was recorded for another request (its
 * fingerprint differs from `fingerprint`).
 */
export async function findOriginal(
  store: EventStore<BankingEvent, BankingReadEvent>,
  streamId: string,
  eventId: string,
  fingerprint: RequestFingerprint | undefined,
  window: number | "all" = RECENT_WINDOW,
): Promise<RecordedEvent<BankingReadEvent> | undefined> {
  const earlier = await findRecentEvent(store, streamId, eventId, window);
  const recorded = earlier?.metadata[FINGERPRINT_KEY];
  if (fingerprint !== undefined && typeof recorded === "string" && !fingerprint.matches(recorded)) throw new DomainRejection(streamId, { code: "idempotency_key_reused" });
  return earlier;
}
