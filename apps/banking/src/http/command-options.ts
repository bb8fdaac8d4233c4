import type { FastifyReply, FastifyRequest } from "fastify";
import type { Applied, ExecuteOptions } from "../domain/bank.js";
import { idFromKey } from "../domain/ids.js";
import { rememberPosition } from "./consistent-read.js";
import { requestFingerprint } from "./request-fingerprint.js";
import type { FingerprintKeys } from "./request-fingerprint.js";

/** The command headers as the route parsed them. */
export interface CommandHeaders {
  readonly "idempotency-key"?: string | undefined;
  readonly "if-match"?: string | undefined;
}

/**
 * Turns the command headers into execution options: the key becomes the event id (with the
 * request's fingerprint under `fingerprintKeys`, see `request-fingerprint.ts`), If-Match the
 * expected version.
 */
export function commandOptions(headers: CommandHeaders, request: FastifyRequest, fingerprintKeys: FingerprintKeys): ExecuteOptions {
  const key = headers["idempotency-key"];
  const ifMatch = headers["if-match"];
  return {
    eventId: key === undefined ? undefined : idFromKey(key),
    fingerprint: key === undefined ? undefined : requestFingerprint(fingerprintKeys, request),
    expectedVersion: ifMatch === undefined ? undefined : Number.parseInt(ifMatch.replaceAll('"', ""), 10),
    metadata: { correlationId: request.id },
  };
}

/** The body of a command response; also sets the ETag to the new version. */
export function commandResult(applied: Applied, reply: FastifyReply): { streamId: string; version: number; eventIds: string[] } {
  void reply.header("etag", `"${applied.version}"`);
  rememberPosition(reply, applied.events);
  return { streamId: applied.streamId, version: applied.version, eventIds: applied.events.map((event) => event.id) };
}
