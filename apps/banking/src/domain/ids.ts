import { v5 as uuidv5, validate as isUuid } from "uuid";

/** Namespace of the app's name-based UUIDs (random, fixed forever: changing it changes every derived id). */
const NAMESPACE = "3c0f6a4e-8a3b-4c55-9f0e-5b7d2e61a0c4";

/**
 * A stable UUID for `name`: the same name always gives the same id. Turns an `Idempotency-Key`
 * (any string) into an event id, and a transfer id into the ids of its steps' events.
 */
export function stableId(name: string): string {
  return uuidv5(name, NAMESPACE);
}

/** The id an `Idempotency-Key` stands for: the key itself when it is a UUID, else one derived from it. */
export function idFromKey(key: string): string {
  return isUuid(key) ? key.toLowerCase() : stableId(`idempotency-key:${key}`);
}
