/**
 * A decider over a store with personal data: `evolve` receives an erased subject's fields as the
 * `ERASED` marker at run time, as `DeciderFor` types them, and a state that kept the plaintext is
 * rebuilt without it once the subject is erased.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, expect, it } from "vitest";
import { z } from "zod";
import type { Erased } from "../crypto/erased.js";
import { isErased } from "../crypto/erased.js";
import { LocalKekProvider } from "../crypto/local-kek-provider.js";
import { createPersonalDataStore } from "../erasure/create-personal-data-store.js";
import type { PersonalDataStore } from "../erasure/create-personal-data-store.js";
import { defineRegistry } from "../registry.js";
import type { EventShape, EventTypeSpec } from "../registry.js";
import { describeEachBackend } from "../testing/backends.js";
import { given } from "../testing/decider-spec.js";
import { createCommandHandler } from "./command-handler.js";
import type { DeciderFor } from "./decider.js";
import { defineDecider, reject } from "./decider.js";
import { loadAggregate } from "./load-aggregate.js";

type Registered = EventShape<"CustomerRegistered", { readonly customerId: string; readonly name: string }>;
type RegisteredRead = EventShape<"CustomerRegistered", { readonly customerId: string; readonly name: string | Erased }>;
type Renamed = EventShape<"CustomerRenamed", { readonly customerId: string; readonly name: string }>;
type RenamedRead = EventShape<"CustomerRenamed", { readonly customerId: string; readonly name: string | Erased }>;

const named = z.strictObject({ customerId: z.string(), name: z.string().min(1) });
const spec = (type: string): EventTypeSpec => ({
  type,
  latestVersion: 1,
  versions: { 1: { version: 1, validator: named, pii: [{ path: "/name", subject: "/customerId" }] } },
  upcasters: [],
});
const registry = defineRegistry<Registered | Renamed, RegisteredRead | RenamedRead>({
  context: "people",
  events: { CustomerRegistered: spec("CustomerRegistered"), CustomerRenamed: spec("CustomerRenamed") },
});

interface Customer {
  readonly customerId: string | null;
  /** Personal data: `null` once the subject is erased. */
  readonly name: string | null;
  readonly renames: number;
}
type Command = { readonly type: "Register"; readonly customerId: string; readonly name: string } | { readonly type: "Rename"; readonly name: string };

const customer = defineDecider<DeciderFor<typeof registry, Customer, Command, { readonly code: "exists" } | { readonly code: "not_found" }>>({
  name: "customer",
  stateVersion: 1,
  initialState: { customerId: null, name: null, renames: 0 },
  evolve: (state, event) => {
    const name = isErased(event.data.name) ? null : event.data.name;
    switch (event.type) {
      case "CustomerRegistered":
        return { ...state, customerId: event.data.customerId, name };
      case "CustomerRenamed":
        return { ...state, name, renames: state.renames + 1 };
    }
  },
  decide: (command, state) => {
    if (command.type === "Register") {
      return state.customerId === null ? [{ type: "CustomerRegistered", data: { customerId: command.customerId, name: command.name } }] : reject({ code: "exists" });
    }
    return state.customerId === null ? reject({ code: "not_found" }) : [{ type: "CustomerRenamed", data: { customerId: state.customerId, name: command.name } }];
  },
  // The state holds the name: snapshots record the subject, and erasing it deletes them.
  subjects: (state) => (state.customerId === null ? [] : [state.customerId]),
});

it("folds an erased field given as ERASED in a spec", () => {
  given(customer, [{ type: "CustomerRegistered", data: { customerId: "c-1", name: { $erased: true } } }])
    .when({ type: "Rename", name: "Ada" })
    .then([{ type: "CustomerRenamed", data: { customerId: "c-1", name: "Ada" } }]);
});

describeEachBackend("a decider over a store with personal data", (backend) => {
  const opened: PersonalDataStore<Registered | Renamed, RegisteredRead | RenamedRead>[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it("evolves an erased subject's fields as ERASED, and rebuilds the state without them", async () => {
    const kek = new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" });
    const pd = await createPersonalDataStore({ registry, database: backend.database(), schema: backend.freshSchema(), kek, auditKey: randomBytes(32) });
    opened.push(pd);
    const handler = createCommandHandler({ store: pd.events, decider: customer, snapshots: { store: pd.snapshots, policy: { everyEvents: 1 } } });
    const customerId = randomUUID();
    const streamId = `customer-${customerId}`;

    expect((await handler.handle(streamId, { type: "Register", customerId, name: "Ada" })).status).toBe("applied");
    expect((await handler.handle(streamId, { type: "Rename", name: "Ada Lovelace" })).status).toBe("applied");
    await handler.flushSnapshots();
    expect(await handler.load(streamId)).toMatchObject({ version: 2, snapshotVersion: 2, state: { customerId, name: "Ada Lovelace", renames: 1 } });

    expect((await pd.erase(customerId, { reason: "test", requestedBy: "test" })).status).toBe("erased");

    const after = await handler.load(streamId);
    expect(after).toMatchObject({ version: 2, snapshotVersion: 0, state: { customerId, name: null, renames: 1 } });
    expect((await loadAggregate(pd.events, customer, streamId, { atVersion: 1 })).state).toEqual({ customerId, name: null, renames: 0 });
    // Commands still work on the erased stream; the state then holds the erased subject's data
    // again, and the snapshot store refuses it.
    expect((await handler.handle(streamId, { type: "Rename", name: "A. L." })).status).toBe("applied");
    await handler.flushSnapshots();
    expect(handler.metrics.snapshotsRefused).toBe(1);
  });
});
