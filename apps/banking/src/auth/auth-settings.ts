/**
 * Where the token secret and the users come from:
 *
 * - production: `BANKING_JWT_SECRET` (base64, at least 32 bytes) and `BANKING_USERS_FILE` (a JSON
 *   array of `{ username, role, customerId?, passwordHash }`, hashes from `hashPassword`);
 * - a local run without them, when development secrets were asked for (`--dev` on embedded
 *   PGlite, or `STRATA_DEV_KEYS=1`; the rule of the development keys, `developmentAsked`): a
 *   development file beside the data (`<data-dir>.auth.json`, mode 0600, with a warning in the
 *   log) holding a random secret and users with random passwords in plaintext, so that `pnpm
 *   tour` can log in. For local runs only, like the development keys;
 * - `--memory`, `tour --self` and the tests: the same, in memory;
 * - anything else is refused with {@link AuthNotConfiguredError}: a server started without its
 *   users never invents some with passwords in a file.
 *
 * Generated users: `teller` and `compliance`; the demo seed adds one customer user per demo
 * customer (`ada`, `alan`).
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { z } from "zod";
import { developmentAsked } from "../infra/secrets.js";
import { ROLES } from "./principal.js";
import type { Role } from "./principal.js";
import { createTokenService } from "./token-service.js";
import type { TokenService } from "./token-service.js";
import { createUserDirectory, hashPassword } from "./user-directory.js";
import type { UserDirectory, UserRecord } from "./user-directory.js";

/** A user with its password in plaintext: development files and memory only. */
export interface DevUser {
  readonly username: string;
  readonly role: Role;
  readonly customerId?: string | undefined;
  readonly password: string;
}

/** The app's authentication. */
export interface AuthSettings {
  readonly tokens: TokenService;
  readonly users: UserDirectory;
  readonly source: "environment" | "development file" | "memory";
  /** Development and memory modes: the generated users, passwords included (for the tour and tests). */
  readonly devUsers: readonly DevUser[] | undefined;
  /** Adds a generated user (development and memory modes; the seed's demo customers); returns it, or `undefined` in production. */
  addDevUser(username: string, role: Role, customerId?: string): Promise<DevUser | undefined>;
}

interface DevFile {
  readonly jwtSecret: string;
  readonly users: DevUser[];
}

const generated = (username: string, role: Role, customerId?: string): DevUser => ({ username, role, ...(customerId === undefined ? {} : { customerId }), password: randomBytes(12).toString("base64url") });

function fromDev(file: DevFile, source: "development file" | "memory", save: (file: DevFile) => Promise<void>): AuthSettings {
  const users = createUserDirectory();
  const devUsers = [...file.users];
  for (const user of devUsers) users.add({ username: user.username, role: user.role, customerId: user.customerId, passwordHash: hashPassword(user.password) });
  return {
    tokens: createTokenService(Buffer.from(file.jwtSecret, "base64")),
    users,
    source,
    devUsers,
    addDevUser: async (username, role, customerId) => {
      const user = generated(username, role, customerId);
      const at = devUsers.findIndex((candidate) => candidate.username === username);
      if (at >= 0) devUsers.splice(at, 1, user);
      else devUsers.push(user);
      users.add({ username, role, customerId, passwordHash: hashPassword(user.password) });
      await save({ jwtSecret: file.jwtSecret, users: devUsers });
      return user;
    },
  };
}

const freshDevFile = (): DevFile => ({ jwtSecret: randomBytes(32).toString("base64"), users: [generated("teller", "teller"), generated("compliance", "compliance")] });

/** Authentication held in memory (random secret, generated users). */
export function memoryAuth(): AuthSettings {
  return fromDev(freshDevFile(), "memory", () => Promise.resolve());
}

/** Reads the development file written by an earlier start (for `pnpm tour`); `undefined` when absent. */
export async function readDevUsers(devFile: string): Promise<readonly DevUser[] | undefined> {
  const text = await readFile(devFile, "utf8").catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as DevFile).users;
}

const userRecord = z.strictObject({
  username: z.string().min(1).max(100),
  role: z.enum(ROLES),
  customerId: z.uuid().optional(),
  passwordHash: z.string().regex(/^scrypt\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/, "must come from hashPassword (scrypt$<salt>$<hash>)"),
}).refine((record) => (record.role === "customer") === (record.customerId !== undefined), { message: "a customer needs a customerId, and only a customer has one", path: ["customerId"] });

/**
 * The users of `BANKING_USERS_FILE`, checked at start-up: a record with an unknown role, a
 * customer without a customer id or a password hash not made by `hashPassword` stops the app
 * (instead of failing at its first login). The error names the record and field, never a value.
 */
export function parseUserRecords(value: unknown, file: string): UserRecord[] {
  const result = z.array(userRecord).safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
  throw new TypeError(`${file} is not a valid users file: ${issues.join("; ")}.`);
}

/** Neither `BANKING_JWT_SECRET` nor development secrets: the app would have no users to log in. */
export class AuthNotConfiguredError extends Error {
  /** Stable code. */
  readonly code = "AUTH_NOT_CONFIGURED";

  constructor(postgres: boolean) {
    super(
      "No token secret and users are configured. Set BANKING_JWT_SECRET (base64 of at least 32 random bytes) and BANKING_USERS_FILE " +
        "(a JSON array of { username, role, customerId?, passwordHash }). " +
        (postgres
          ? "For development users stored beside the data on PostgreSQL, set STRATA_DEV_KEYS=1 explicitly."
          : "For development users stored beside the data, start with --dev (or STRATA_DEV_KEYS=1)."),
    );
    this.name = "AuthNotConfiguredError";
  }
}

/** Where {@link loadAuth} may find users when the environment has none (the sources of the keys). */
export interface AuthSources {
  /** The development users file, or `undefined` when the data lives in memory. */
  readonly devFile: string | undefined;
  /** `--dev` was given (honoured on embedded PGlite only). */
  readonly dev: boolean;
  /** The app runs on a PostgreSQL server. */
  readonly postgres: boolean;
}

/**
 * Loads the app's authentication from the environment; else from (or into) the development file
 * when development secrets were asked for; else in memory when the data is in memory too.
 *
 * @throws {@link AuthNotConfiguredError} when none of these applies.
 */
export async function loadAuth(env: Readonly<Record<string, string | undefined>>, sources: AuthSources): Promise<AuthSettings> {
  const secret = env["BANKING_JWT_SECRET"];
  const usersFile = env["BANKING_USERS_FILE"];
  if (secret !== undefined && secret !== "") {
    if (usersFile === undefined || usersFile === "") throw new TypeError("BANKING_JWT_SECRET is set but BANKING_USERS_FILE is not: both are needed.");
    const records = parseUserRecords(JSON.parse(await readFile(usersFile, "utf8")) as unknown, usersFile);
    return { tokens: createTokenService(Buffer.from(secret, "base64")), users: createUserDirectory(records), source: "environment", devUsers: undefined, addDevUser: () => Promise.resolve(undefined) };
  }
  const { devFile } = sources;
  if (devFile === undefined) return memoryAuth();
  if (!developmentAsked(env, sources)) throw new AuthNotConfiguredError(sources.postgres);
  const save = (file: DevFile) => writeFile(devFile, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  const existing = await readFile(devFile, "utf8").catch(() => undefined);
  const file = existing === undefined ? freshDevFile() : (JSON.parse(existing) as DevFile);
  if (existing === undefined) await save(file);
  await chmod(devFile, 0o600); // also a file left with a looser mode
  return fromDev(file, "development file", save);
}
