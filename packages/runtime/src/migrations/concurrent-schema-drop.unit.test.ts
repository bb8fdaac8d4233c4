import { describe, expect, it } from "vitest";
import { MigrationError } from "../errors.js";
import { retryOnConcurrentSchemaDrop } from "./concurrent-schema-drop.js";

/** What pg raises when a schema vanished under the migrator's listing of every schema's tables. */
const schemaGone = (name: string) => Object.assign(new Error(`schema "${name}" does not exist`), { code: "3F000" });

describe("retryOnConcurrentSchemaDrop", () => {
  it("runs again when another schema's drop interrupted the run, also when the error is wrapped", async () => {
    let calls = 0;
    const result = await retryOnConcurrentSchemaDrop("mine", async () => {
      calls += 1;
      if (calls === 1) throw schemaGone("theirs");
      if (calls === 2) throw new MigrationError({ schema: "mine", cause: schemaGone("theirs") });
      return "migrated";
    });
    expect([result, calls]).toEqual(["migrated", 3]);
  });

  it("does not retry when the missing schema is its own, or on any other error", async () => {
    for (const error of [schemaGone("mine"), Object.assign(new Error("syntax error"), { code: "42601" })]) {
      let calls = 0;
      await expect(
        retryOnConcurrentSchemaDrop("mine", async () => {
          calls += 1;
          throw error;
        }),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it("gives up after five attempts with the last error", async () => {
    let calls = 0;
    await expect(
      retryOnConcurrentSchemaDrop("mine", async () => {
        calls += 1;
        throw schemaGone(`theirs-${calls}`);
      }),
    ).rejects.toThrow('schema "theirs-5" does not exist');
    expect(calls).toBe(5);
  });
});
