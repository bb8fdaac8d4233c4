import type { RecordedBankingEvent } from "../../domain/bank.js";

/** A recorded event as the API shows it. */
export function toEventView(event: RecordedBankingEvent): {
  id: string;
  version: number;
  type: string;
  schemaVersion: number;
  storedSchemaVersion: number;
  recordedAt: string;
  data: unknown;
} {
  return {
    id: event.id,
    version: event.version,
    type: event.type,
    schemaVersion: event.schemaVersion,
    storedSchemaVersion: event.storedSchemaVersion,
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
  };
}
