/**
 * PostgreSQL WAL positions (`pg_lsn`, written `X/Y` in hex): what a replica has replayed and
 * what an append committed, compared exactly as 64-bit numbers.
 *
 * @module
 */
import { InvalidArgumentError } from "../errors.js";

const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** Parses a `pg_lsn` text (`"16/B374D848"`) into its 64-bit value; throws {@link InvalidArgumentError}. */
export function parseWalPosition(lsn: string): bigint {
  const match = LSN.exec(lsn);
  if (match === null) throw new InvalidArgumentError(`"${lsn.slice(0, 40)}" is not a WAL position (pg_lsn, like "16/B374D848").`);
  return (BigInt(`0x${match[1] ?? "0"}`) << 32n) | BigInt(`0x${match[2] ?? "0"}`);
}

/** Whether WAL position `replayed` is at or past `target`. */
export function hasReached(replayed: string, target: string): boolean {
  return parseWalPosition(replayed) >= parseWalPosition(target);
}
