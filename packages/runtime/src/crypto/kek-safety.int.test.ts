import { randomBytes, randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { createPersonalDataStore } from "../erasure/create-personal-data-store.js";
import { piiRegistry } from "../erasure/personal-data.fixture.js";
import { isStrataError } from "../errors.js";
import { describeEachBackend } from "../testing/backends.js";
import { createEventStore } from "../store/create-event-store.js";
import { LocalKekProvider } from "./local-kek-provider.js";
import { rejection } from "../../test/fixtures/rejection.js";

const provider = (keks: Record<string, Uint8Array>, current: string): LocalKekProvider => new LocalKekProvider({ keks, current });
const registration = () => {
  const customerId = randomUUID();
  return { type: "CustomerRegistered" as const, data: { customerId, profile: { name: "Ada Lovelace", email: "ada@example.org" }, tier: "gold" } };
};

describeEachBackend("KEK safety", (backend) => {
  it("stores a check value per KEK id and refuses to open with other material under the same id, naming the id", async () => {
    const schema = backend.freshSchema();
    const right = randomBytes(32);
    const store = await createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, kek: provider({ v1: right }, "v1") });
    await store.events.append(`c-${randomUUID()}`, [registration()]);
    await store.close();
    const checks = await backend.query<{ kek_id: string; len: number }>(`SELECT kek_id, octet_length(check_value) AS len FROM "${schema}".kek_checks`);
    expect(checks.map((row) => row.kek_id)).toEqual(["v1"]);
    // Every wrapped key records which KEK wrapped it.
    expect(await backend.query(`SELECT DISTINCT kek_id FROM "${schema}".subject_keys`)).toEqual([{ kek_id: "v1" }]);

    const wrong = provider({ v1: randomBytes(32) }, "v1");
    for (const open of [
      () => createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, migrate: false, kek: wrong }),
      () => createEventStore({ registry: piiRegistry, database: backend.database(), schema, migrate: false, personalData: { kek: wrong } }),
    ]) {
      const error = await rejection(open());
      expect(isStrataError(error, "KEK_MISMATCH")).toBe(true);
      expect((error as Error).message).toContain('KEK "v1"');
      expect((error as { kekId: string }).kekId).toBe("v1");
    }
    // Nothing was wrapped by the wrong KEK, and the right one still opens.
    expect(await backend.query(`SELECT count(*)::int AS n FROM "${schema}".subject_keys`)).toEqual([{ n: 1 }]);
    const again = await createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, migrate: false, kek: provider({ v1: right }, "v1") });
    await again.close();
  });

  it("on a store from before check values, tries an existing wrapped key before committing to the configured KEK", async () => {
    const schema = backend.freshSchema();
    const right = randomBytes(32);
    const store = await createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, kek: provider({ v1: right }, "v1") });
    await store.events.append(`c-${randomUUID()}`, [registration()]);
    await store.close();
    await backend.query(`DELETE FROM "${schema}".kek_checks`);
    const error = await rejection(createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, migrate: false, kek: provider({ v1: randomBytes(32) }, "v1") }));
    expect(isStrataError(error, "KEK_MISMATCH")).toBe(true);
    expect(await backend.query(`SELECT count(*)::int AS n FROM "${schema}".kek_checks`)).toEqual([{ n: 0 }]);
    const reopened = await createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, migrate: false, kek: provider({ v1: right }, "v1") });
    await reopened.close();
    expect(await backend.query(`SELECT kek_id FROM "${schema}".kek_checks`)).toEqual([{ kek_id: "v1" }]);
  });

  it("checks every configured KEK, so a rotation target with reused id but new material is refused", async () => {
    const schema = backend.freshSchema();
    const [v1, v2] = [randomBytes(32), randomBytes(32)];
    const store = await createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, kek: provider({ v1, v2 }, "v2") });
    await store.events.append(`c-${randomUUID()}`, [registration()]);
    expect((await store.rotateKek()).toKekId).toBe("v2");
    await store.close();
    const error = await rejection(createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema, migrate: false, kek: provider({ v1, v2: randomBytes(32) }, "v1") }));
    expect(isStrataError(error, "KEK_MISMATCH")).toBe(true);
    expect((error as Error).message).toContain('"v2"');
  });

  it("refuses an audit key shorter than 32 bytes when the store opens", async () => {
    const error = await rejection(
      createPersonalDataStore({ registry: piiRegistry, database: backend.database(), schema: backend.freshSchema(), kek: provider({ v1: randomBytes(32) }, "v1"), auditKey: randomBytes(31) }),
    );
    expect(isStrataError(error, "INVALID_ARGUMENT")).toBe(true);
    expect((error as Error).message).toContain("31 bytes");
  });
});
