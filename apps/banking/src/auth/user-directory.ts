/**
 * The bank's users and their passwords, hashed with scrypt (Node's `crypto.scrypt`, memory-hard;
 * no dependency needed). Production deployments usually delegate this to an identity provider;
 * the directory keeps the sample self-contained.
 *
 * @module
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import type { Principal, Role } from "./principal.js";

/** A user as stored: never the password itself. */
export interface UserRecord {
  readonly username: string;
  readonly role: Role;
  readonly customerId?: string | undefined;
  /** `scrypt$<salt base64>$<hash base64>`, see {@link hashPassword}. */
  readonly passwordHash: string;
}

const KEY_LENGTH = 32;

/** Hashes a password for a {@link UserRecord}. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString("base64")}$${scryptSync(password, salt, KEY_LENGTH).toString("base64")}`;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keyLength: number) => Promise<Buffer>;

// Asynchronous: scrypt is memory-hard on purpose (tens of milliseconds), and a login must not
// hold up every other request while it runs (libuv's thread pool runs it instead).
async function matches(password: string, encoded: string): Promise<boolean> {
  const [scheme, salt, hash] = encoded.split("$");
  if (scheme !== "scrypt" || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64"), expected.length === 0 ? KEY_LENGTH : expected.length);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Looks users up. */
export interface UserDirectory {
  /** The principal for a correct user name and password, else `undefined` (same work either way). */
  authenticate(username: string, password: string): Promise<Principal | undefined>;
  /** Adds (or replaces) a user. */
  add(record: UserRecord): void;
}

// Hashed once: an unknown user name costs the same scrypt as a known one.
let decoy: string | undefined;

/** A directory over `records`. */
export function createUserDirectory(records: readonly UserRecord[] = []): UserDirectory {
  const users = new Map(records.map((record) => [record.username, record]));
  return {
    authenticate: async (username, password) => {
      const user = users.get(username);
      decoy ??= hashPassword(randomBytes(16).toString("hex"));
      const ok = await matches(password, user?.passwordHash ?? decoy);
      return ok && user !== undefined ? { subject: user.username, role: user.role, ...(user.customerId === undefined ? {} : { customerId: user.customerId }) } : undefined;
    },
    add: (record) => void users.set(record.username, record),
  };
}
