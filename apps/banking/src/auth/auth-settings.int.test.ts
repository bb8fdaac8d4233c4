// Where the app's users come from: the environment in production; development users with
// plaintext passwords in a file only when development secrets were asked for, never by default.
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuthNotConfiguredError, loadAuth } from "./auth-settings.js";
import { hashPassword } from "./user-directory.js";

describe("development users only on purpose", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "banking-auth-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("refuses to start without BANKING_JWT_SECRET unless development secrets are asked for, and writes no users file", async () => {
    const devFile = join(root, "data.auth.json");
    for (const [env, sources] of [
      [{}, { devFile, dev: false, postgres: false }],
      [{}, { devFile, dev: false, postgres: true }],
      // --dev alone never turns development users on against a PostgreSQL server.
      [{}, { devFile, dev: true, postgres: true }],
      // Production keys do not make development users acceptable.
      [{ STRATA_KEKS: "v1:x", STRATA_AUDIT_KEY: "x" }, { devFile, dev: false, postgres: true }],
    ] as const) {
      const error = await loadAuth(env, sources).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(AuthNotConfiguredError);
      expect((error as AuthNotConfiguredError).code).toBe("AUTH_NOT_CONFIGURED");
      expect((error as Error).message).toContain("BANKING_JWT_SECRET");
    }
    expect(readdirSync(root)).toEqual([]);
  });

  it("writes development users 0600 when asked for (--dev on PGlite, STRATA_DEV_KEYS=1 anywhere) and reads them back", async () => {
    const devFile = join(root, "data.auth.json");
    const first = await loadAuth({}, { devFile, dev: true, postgres: false });
    expect(first.source).toBe("development file");
    expect(lstatSync(devFile).mode & 0o777).toBe(0o600);
    const second = await loadAuth({ STRATA_DEV_KEYS: "1" }, { devFile, dev: false, postgres: true });
    expect(second.devUsers).toEqual(first.devUsers);
    expect((await loadAuth({}, { devFile: undefined, dev: false, postgres: true })).source).toBe("memory");
  });

  it("takes the users from the environment when the secret is set, with no plaintext passwords", async () => {
    const usersFile = join(root, "users.json");
    writeFileSync(usersFile, JSON.stringify([{ username: "teller", role: "teller", passwordHash: hashPassword("correct horse") }]));
    const auth = await loadAuth({ BANKING_JWT_SECRET: randomBytes(32).toString("base64"), BANKING_USERS_FILE: usersFile }, { devFile: join(root, "data.auth.json"), dev: false, postgres: true });
    expect(auth.source).toBe("environment");
    expect(auth.devUsers).toBeUndefined();
    expect(await auth.addDevUser("ada", "customer", "c1")).toBeUndefined();
    expect(await auth.users.authenticate("teller", "correct horse")).toEqual({ subject: "teller", role: "teller" });
    expect(await auth.users.authenticate("ada", "")).toBeUndefined();
    expect(readdirSync(root)).toEqual(["users.json"]);
  });

  it("refuses a users file with an unknown role, a customer without a customer id, or a password not hashed, naming the record and field only", async () => {
    const usersFile = join(root, "users.json");
    const env = { BANKING_JWT_SECRET: randomBytes(32).toString("base64"), BANKING_USERS_FILE: usersFile };
    const sources = { devFile: undefined, dev: false, postgres: true };
    for (const [record, field] of [
      [{ username: "root", role: "admin", passwordHash: hashPassword("x") }, "0.role"],
      [{ username: "ada", role: "customer", passwordHash: hashPassword("x") }, "0.customerId"],
      [{ username: "teller", role: "teller", passwordHash: "hunter2" }, "0.passwordHash"],
    ] as const) {
      writeFileSync(usersFile, JSON.stringify([record]));
      const error = (await loadAuth(env, sources).then(
        () => undefined,
        (thrown: unknown) => thrown,
      )) as Error;
      expect(error.message).toContain(field);
      expect(error.message).not.toContain("hunter2");
    }
  });
});
