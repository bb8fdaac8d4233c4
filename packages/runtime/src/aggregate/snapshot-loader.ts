/**
 * Finds a usable snapshot for a load. Every way a snapshot can be unusable (missing, unreadable,
 * corrupt, taken by another state version, or a snapshot store that fails) ends the same way:
 * no snapshot, a log line, a counter, and the caller rebuilds the state from the stream.
 *
 * @module
 */
import type { SnapshotStore } from "../snapshots/snapshot-store.js";
import { decodeSnapshotState } from "../snapshots/snapshot-codec.js";
import type { Decider, DomainErrorShape } from "./decider.js";
import type { EventShape } from "../registry.js";
import type { AggregateLogger, AggregateMetrics } from "./aggregate-observability.js";
import { describeErrorForLog } from "./aggregate-observability.js";

/** A snapshot that passed every check. */
export interface UsableSnapshot<TState> {
  readonly state: TState;
  readonly streamVersion: number;
}

/** Looks up, decodes and validates the newest snapshot at or below `maxStreamVersion`. Never throws. */
export async function loadUsableSnapshot<TState>(
  snapshots: SnapshotStore,
  decider: Pick<Decider<TState, unknown, EventShape, DomainErrorShape>, "name" | "stateVersion" | "stateSchema">,
  streamId: string,
  maxStreamVersion: number | undefined,
  logger: AggregateLogger,
  metrics: AggregateMetrics,
): Promise<UsableSnapshot<TState> | undefined> {
  const fields = { streamId, aggregate: decider.name };
  let stored;
  try {
    stored = await snapshots.findLatest({
      streamId,
      aggregate: decider.name,
      ...(maxStreamVersion === undefined ? {} : { maxStreamVersion }),
    });
  } catch (error) {
    metrics.snapshotReadFailures += 1;
    logger.warn("snapshot lookup failed; rebuilding the state from the stream", { ...fields, error: describeErrorForLog(error) });
    return undefined;
  }
  if (stored === undefined) {
    metrics.snapshotsMissing += 1;
    logger.debug("no snapshot; replaying the stream", fields);
    return undefined;
  }
  const at = { ...fields, snapshotVersion: stored.streamVersion, snapshotStateVersion: stored.stateVersion };
  if (stored.stateVersion !== decider.stateVersion) {
    metrics.snapshotsOutdated += 1;
    logger.warn("snapshot ignored: taken with another state version; rebuilding from the stream", {
      ...at,
      currentStateVersion: decider.stateVersion,
    });
    return undefined;
  }
  if (maxStreamVersion !== undefined && stored.streamVersion > maxStreamVersion) {
    metrics.snapshotsCorrupt += 1;
    logger.warn("snapshot ignored: the snapshot store returned one past the requested version", { ...at, maxStreamVersion });
    return undefined;
  }
  let decoded: unknown;
  try {
    decoded = decodeSnapshotState(stored.data);
  } catch (error) {
    metrics.snapshotsCorrupt += 1;
    logger.warn("snapshot ignored: it does not decode; rebuilding from the stream", { ...at, error: describeErrorForLog(error) });
    return undefined;
  }
  if (decider.stateSchema === undefined) return { state: decoded as TState, streamVersion: stored.streamVersion };
  const parsed = decider.stateSchema.safeParse(decoded);
  if (!parsed.success) {
    metrics.snapshotsCorrupt += 1;
    // Issue paths only: messages of custom validators may quote the (personal) value.
    const paths = parsed.error.issues.map((issue) => "/" + issue.path.map(String).join("/")).join(", ");
    logger.warn("snapshot ignored: it fails the state schema; rebuilding from the stream", { ...at, issuePaths: paths });
    return undefined;
  }
  return { state: parsed.data, streamVersion: stored.streamVersion };
}
