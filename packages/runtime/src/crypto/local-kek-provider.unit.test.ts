import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { isCryptoError } from "./crypto-errors.js";
import { dataKeyContext } from "./kek-provider.js";
import { LocalKekProvider } from "./local-kek-provider.js";
import { rejection } from "../../test/fixtures/rejection.js";

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
const kek1 = randomBytes(32);
const kek2 = randomBytes(32);
const dir = mkdtempSync(join(tmpdir(), "strata-kek-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("LocalKekProvider configuration", () => {
  it("reads several KEKs from STRATA_KEKS; the last is current unless STRATA_KEK_CURRENT says otherwise", () => {
    const list = `v1:${b64(kek1)}, v2:${b64(kek2)}`;
    const byDefault = LocalKekProvider.fromEnv({ STRATA_KEKS: list });
    expect(byDefault.kekIds()).toEqual(["v1", "v2"]);
    expect(byDefault.currentKekId()).toBe("v2");
    expect(LocalKekProvider.fromEnv({ STRATA_KEKS: list, STRATA_KEK_CURRENT: "v1" }).currentKekId()).toBe("v1");
  });

  it("reads a JSON file named by STRATA_KEKS_FILE", () => {
    const file = join(dir, "keks.json");
    writeFileSync(file, JSON.stringify({ current: "2024-01", keks: { "2023-01": b64(kek1), "2024-01": b64(kek2) } }));
    const keks = LocalKekProvider.fromEnv({ STRATA_KEKS_FILE: file });
    expect(keks.kekIds()).toEqual(["2023-01", "2024-01"]);
    expect(keks.currentKekId()).toBe("2024-01");
  });

  it.each([
    ["nothing set", {}, /no KEK configured/],
    ["both set", { STRATA_KEKS: `v1:${b64(kek1)}`, STRATA_KEKS_FILE: "/x" }, /set exactly one/],
    ["a short key", { STRATA_KEKS: `v1:${b64(randomBytes(16))}` }, /KEK "v1" is 16 bytes; a KEK must be exactly 32/],
    ["not base64", { STRATA_KEKS: "v1:not*base64" }, /KEK "v1" is not base64/],
    ["an entry without id", { STRATA_KEKS: b64(kek1) }, /entry 1 is not/],
    ["a duplicate id", { STRATA_KEKS: `v1:${b64(kek1)},v1:${b64(kek2)}` }, /KEK "v1" is listed twice/],
    ["an unknown current", { STRATA_KEKS: `v1:${b64(kek1)}`, STRATA_KEK_CURRENT: "v9" }, /current KEK "v9" is not among the configured KEKs \(v1\)/],
    ["an unreadable file", { STRATA_KEKS_FILE: join(dir, "missing.json") }, /STRATA_KEKS_FILE .*cannot be read as JSON/],
  ])("refuses %s with KEK_CONFIG_INVALID and a message naming the problem, never the key", (_case, env, message) => {
    const error = thrown(() => LocalKekProvider.fromEnv(env));
    expect(isCryptoError(error, "KEK_CONFIG_INVALID")).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(b64(kek1));
    expect((error as Error).message).not.toContain(b64(kek2));
  });
});

describe("LocalKekProvider wrapping", () => {
  const keks = new LocalKekProvider({ keks: { v1: kek1, v2: kek2 }, current: "v2" });
  const dek = randomBytes(32);
  const context = dataKeyContext("key-a");

  it("unwraps what it wrapped, with every configured KEK, and never returns the DEK in clear", async () => {
    for (const kekId of ["v1", "v2"]) {
      const wrapped = await keks.wrap(kekId, dek, context);
      expect(wrapped.byteLength).toBe(61);
      expect(Buffer.from(wrapped).includes(dek)).toBe(false);
      expect(Buffer.from(await keks.unwrap(kekId, wrapped, context))).toEqual(dek);
    }
  });

  it("fails with KEY_UNWRAP_FAILED when the KEK material differs (same id, wrong key)", async () => {
    const wrapped = await keks.wrap("v1", dek, context);
    const impostor = new LocalKekProvider({ keks: { v1: kek2 }, current: "v1" });
    const error = await rejection(impostor.unwrap("v1", wrapped, context));
    expect(isCryptoError(error, "KEY_UNWRAP_FAILED")).toBe(true);
    expect((error as Error).message).toContain('KEK "v1"');
  });

  it("fails with KEY_UNWRAP_FAILED when a wrapped key is moved to another key id or altered", async () => {
    const wrapped = await keks.wrap("v1", dek, context);
    expect(isCryptoError(await rejection(keks.unwrap("v1", wrapped, dataKeyContext("key-b"))), "KEY_UNWRAP_FAILED")).toBe(true);
    const altered = Uint8Array.from(wrapped);
    altered[20] = (altered[20] ?? 0) ^ 1;
    expect(isCryptoError(await rejection(keks.unwrap("v1", altered, context)), "KEY_UNWRAP_FAILED")).toBe(true);
    expect(isCryptoError(await rejection(keks.unwrap("v1", wrapped.subarray(0, 40), context)), "KEY_UNWRAP_FAILED")).toBe(true);
  });

  it("fails with KEK_NOT_FOUND naming the missing and the known KEK ids", async () => {
    const error = await rejection(keks.unwrap("v0", new Uint8Array(61), context));
    expect(isCryptoError(error, "KEK_NOT_FOUND")).toBe(true);
    expect((error as Error).message).toContain('KEK "v0" is not configured (known: "v1", "v2")');
    expect(isCryptoError(await rejection(keks.wrap("v0", dek, context)), "KEK_NOT_FOUND")).toBe(true);
  });

  it("generates KEKs that the configuration accepts", () => {
    const generated = LocalKekProvider.generateKek();
    expect(Buffer.from(generated, "base64").byteLength).toBe(32);
    expect(LocalKekProvider.fromEnv({ STRATA_KEKS: `k:${generated}` }).currentKekId()).toBe("k");
  });
});
