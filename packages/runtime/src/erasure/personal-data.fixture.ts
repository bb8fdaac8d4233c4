/**
 * Test registries with personal data: a type whose v1 → v2 upcaster moves personal fields into a
 * nested object, and a type carrying several subjects' data in an array of objects.
 */
import { z } from "zod";
import { defineRegistry } from "../registry.js";
import type { EventTypeSpec } from "../registry.js";

const customerV1 = z.strictObject({ customerId: z.string(), name: z.string(), email: z.string() });
const customerV2 = z.strictObject({ customerId: z.string(), profile: z.strictObject({ name: z.string(), email: z.string() }), tier: z.string() });
const meetingV1 = z.strictObject({
  meetingId: z.string(),
  notes: z.string(),
  host: z.strictObject({ personId: z.string(), phone: z.string() }),
  participants: z.array(z.strictObject({ personId: z.string(), email: z.string(), address: z.strictObject({ street: z.string(), city: z.string() }) })),
});

/** `CustomerRegistered` v1 only: what an old writer used. */
const customerV1Spec: EventTypeSpec = {
  type: "CustomerRegistered",
  latestVersion: 1,
  versions: { 1: { version: 1, validator: customerV1, pii: [{ path: "/name", subject: "/customerId" }, { path: "/email", subject: "/customerId" }] } },
  upcasters: [],
};

const customerSpec: EventTypeSpec = {
  type: "CustomerRegistered",
  latestVersion: 2,
  versions: {
    1: customerV1Spec.versions[1] as EventTypeSpec["versions"][number],
    2: { version: 2, validator: customerV2, pii: [{ path: "/profile/name", subject: "/customerId" }, { path: "/profile/email", subject: "/customerId" }] },
  },
  upcasters: [
    {
      type: "CustomerRegistered",
      from: 1,
      to: 2,
      // Sees plaintext (or the erased marker): the store decrypts before upcasting.
      upcast: (data) => {
        const v1 = data as { customerId: string; name: unknown; email: unknown };
        return { customerId: v1.customerId, profile: { name: v1.name, email: v1.email }, tier: "standard" };
      },
    },
  ],
};

const meetingSpec: EventTypeSpec = {
  type: "MeetingHeld",
  latestVersion: 1,
  versions: {
    1: {
      version: 1,
      validator: meetingV1,
      pii: [
        { path: "/host/phone", subject: "/host/personId" },
        { path: "/participants/*/email", subject: "/participants/*/personId" },
        { path: "/participants/*/address", subject: "/participants/*/personId" },
      ],
    },
  },
  upcasters: [],
};

/** Types and read-side shape of the test events (personal fields may read back erased). */
export type PiiTestEvent =
  | { readonly type: "CustomerRegistered"; readonly data: { customerId: string; profile: { name: string; email: string }; tier: string } }
  | {
      readonly type: "MeetingHeld";
      readonly data: { meetingId: string; notes: string; host: { personId: string; phone: string }; participants: { personId: string; email: string; address: { street: string; city: string } }[] };
    };

/** The current registry. */
export const piiRegistry = defineRegistry<PiiTestEvent>({ context: "pii-test", events: { CustomerRegistered: customerSpec, MeetingHeld: meetingSpec } });

/** The registry of an old writer: CustomerRegistered at v1. */
export const piiRegistryV1 = defineRegistry<{ readonly type: "CustomerRegistered"; readonly data: z.infer<typeof customerV1> }>({
  context: "pii-test",
  events: { CustomerRegistered: customerV1Spec },
});
