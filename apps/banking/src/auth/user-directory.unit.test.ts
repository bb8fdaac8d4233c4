// The user directory: scrypt hashes, the same answer for an unknown user and a wrong password,
// and a login that leaves the event loop free while scrypt runs.
import { describe, expect, it } from "vitest";
import { createUserDirectory, hashPassword } from "./user-directory.js";

const directory = createUserDirectory([
  { username: "teller", role: "teller", passwordHash: hashPassword("correct horse") },
  { username: "ada", role: "customer", customerId: "c1", passwordHash: hashPassword("battery staple") },
]);

describe("user directory", () => {
  it("authenticates a correct password, and nothing else", async () => {
    expect(await directory.authenticate("teller", "correct horse")).toEqual({ subject: "teller", role: "teller" });
    expect(await directory.authenticate("ada", "battery staple")).toEqual({ subject: "ada", role: "customer", customerId: "c1" });
    expect(await directory.authenticate("teller", "correct horse ")).toBeUndefined();
    expect(await directory.authenticate("ada", "correct horse")).toBeUndefined();
    expect(await directory.authenticate("nobody", "correct horse")).toBeUndefined();
  });

  it("never stores the password: salted scrypt, another hash each time", () => {
    const [first, second] = [hashPassword("correct horse"), hashPassword("correct horse")];
    expect(first).toMatch(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first).not.toContain("correct horse");
    expect(first).not.toBe(second);
  });

  it("runs scrypt off the event loop: other work goes on while a login is checked", async () => {
    let ranMeanwhile = false;
    const login = directory.authenticate("teller", "correct horse").then(() => ranMeanwhile);
    setImmediate(() => {
      ranMeanwhile = true;
    });
    expect(await login).toBe(true);
  });
});
