/**
 * When to take a snapshot after a command. Any configured threshold that is reached triggers one.
 *
 * @module
 */

/** Thresholds that trigger a snapshot after a command commits. Leave all unset to never snapshot. */
export interface SnapshotPolicy {
  /** Snapshot whenever the stream version crosses a multiple of this number (every N events). */
  readonly everyEvents?: number;
  /** Snapshot when the stream is at least this many events past the state's last snapshot. */
  readonly maxEventsSinceSnapshot?: number;
  /** Snapshot when the load before the command spent at least this long replaying events. */
  readonly maxReplayMs?: number;
}

/** What the command handler knows when it applies the policy. */
export interface SnapshotPolicyInput {
  /** Stream version before the command's append. */
  readonly previousVersion: number;
  /** Stream version after the append. */
  readonly newVersion: number;
  /** Stream version of the snapshot the load started from (0 when none). */
  readonly snapshotVersion: number;
  /** Time the load spent reading and folding events past the snapshot. */
  readonly replayMs: number;
}

/** True when `policy` asks for a snapshot. */
export function shouldSnapshot(policy: SnapshotPolicy, input: SnapshotPolicyInput): boolean {
  if (input.newVersion <= input.snapshotVersion) return false;
  const { everyEvents, maxEventsSinceSnapshot, maxReplayMs } = policy;
  if (everyEvents !== undefined && everyEvents > 0) {
    if (Math.floor(input.newVersion / everyEvents) > Math.floor(input.previousVersion / everyEvents)) return true;
  }
  if (maxEventsSinceSnapshot !== undefined && input.newVersion - input.snapshotVersion >= maxEventsSinceSnapshot) return true;
  if (maxReplayMs !== undefined && input.replayMs >= maxReplayMs) return true;
  return false;
}
