/**
 * Read-your-writes on request: a write endpoint asked with `Prefer: wait=N` (RFC 7240) answers
 * only once the read models have applied its events, waiting at most N seconds, and says so with
 * `Preference-Applied: wait=N`; a read right after it then shows the write. When they lag longer,
 * the answer comes anyway (the write succeeded) with `Read-Models: pending`, and the client shows
 * a loading state until its read catches up (see docs/projections.md, "Read your writes").
 *
 * @module
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ReadModels } from "../read-models/read-models.js";

const positions = new WeakMap<FastifyReply, string>();
/** At most this many seconds, whatever the client asks. */
const MAX_WAIT_SECONDS = 10;

/** Remembers the position a command's events reached, for {@link installConsistentReads}. */
export function rememberPosition(reply: FastifyReply, events: readonly { readonly checkpoint: string }[]): void {
  const last = events.at(-1);
  if (last !== undefined) positions.set(reply, last.checkpoint);
}

/** The seconds of a `Prefer: wait=N` header, or undefined. */
export function preferredWait(prefer: string | string[] | undefined): number | undefined {
  const text = Array.isArray(prefer) ? prefer.join(",") : prefer;
  const match = text === undefined ? null : /(?:^|[,;\s])wait\s*=\s*"?(\d+)"?/i.exec(text);
  return match === null ? undefined : Math.min(MAX_WAIT_SECONDS, Number(match[1]));
}

/** Waits for the read models before a write's answer is sent, when the request asked for it. */
export function installConsistentReads(app: FastifyInstance, readModels: ReadModels): void {
  app.addHook("preSerialization", async (request, reply, payload) => {
    const position = positions.get(reply);
    const seconds = preferredWait(request.headers.prefer);
    if (position === undefined || seconds === undefined || reply.statusCode >= 300) return payload;
    try {
      await readModels.waitFor(position, seconds * 1000);
      void reply.header("preference-applied", `wait=${seconds}`);
    } catch {
      // Timed out, or a projection is failed (health says which): the write stands; the reads lag.
      void reply.header("read-models", "pending");
    }
    return payload;
  });
}
