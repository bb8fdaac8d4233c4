/**
 * Test fixture: the producer's registry and two consumers' registries of the same context, one
 * on an older events package (MoneyDeposited v1 only) and one on a newer one (v3).
 */
import { defineRegistry } from "@strata/runtime";
import type { EventTypeSpec } from "@strata/runtime";
import { z } from "zod";

const erased = z.object({ $erased: z.literal(true) }).strict();
const opened = z.object({ owner: z.string().min(1), email: z.string().email().optional() });
const openedRead = z.object({ owner: z.string().min(1), email: z.union([z.string().email(), erased]).optional() });
const depositedV1 = z.object({ amount: z.number().int().positive() });
const depositedV2 = z.object({ amount: z.number().int().positive(), currency: z.string().length(3) });
const depositedV3 = z.object({ amount: z.number().int().positive(), currency: z.string().length(3), channel: z.string() });

type Opened = { readonly type: "AccountOpened"; readonly data: z.infer<typeof opened> };
type OpenedRead = { readonly type: "AccountOpened"; readonly data: z.infer<typeof openedRead> };
type DepositedV2 = { readonly type: "MoneyDeposited"; readonly data: z.infer<typeof depositedV2> };

const accountOpened: EventTypeSpec = {
  type: "AccountOpened",
  latestVersion: 1,
  versions: { 1: { version: 1, validator: opened, readValidator: openedRead, pii: [{ path: "/email", subject: "/owner" }] } },
  upcasters: [],
};
const v1to2 = { type: "MoneyDeposited", from: 1, to: 2, upcast: (data: unknown) => ({ ...(data as object), currency: "EUR" }) };

/** The producer: MoneyDeposited at v2, AccountOpened with a personal field. */
export const producerRegistry = defineRegistry<Opened | DepositedV2, OpenedRead | DepositedV2>({
  context: "broker-test",
  events: {
    AccountOpened: accountOpened,
    MoneyDeposited: {
      type: "MoneyDeposited",
      latestVersion: 2,
      versions: { 1: { version: 1, validator: depositedV1, pii: [] }, 2: { version: 2, validator: depositedV2, pii: [] } },
      upcasters: [v1to2],
    },
  },
});

/** A consumer on an older events package: MoneyDeposited v1 only. */
export const olderConsumerRegistry = defineRegistry<{ readonly type: "MoneyDeposited"; readonly data: z.infer<typeof depositedV1> }>({
  context: "broker-test",
  events: { MoneyDeposited: { type: "MoneyDeposited", latestVersion: 1, versions: { 1: { version: 1, validator: depositedV1, pii: [] } }, upcasters: [] } },
});

/** A consumer on a newer events package: MoneyDeposited v3 adds `channel`. */
export const newerConsumerRegistry = defineRegistry<OpenedRead | { readonly type: "MoneyDeposited"; readonly data: z.infer<typeof depositedV3> }>({
  context: "broker-test",
  events: {
    AccountOpened: accountOpened,
    MoneyDeposited: {
      type: "MoneyDeposited",
      latestVersion: 3,
      versions: {
        1: { version: 1, validator: depositedV1, pii: [] },
        2: { version: 2, validator: depositedV2, pii: [] },
        3: { version: 3, validator: depositedV3, pii: [] },
      },
      upcasters: [v1to2, { type: "MoneyDeposited", from: 2, to: 3, upcast: (data: unknown) => ({ ...(data as object), channel: "unknown" }) }],
    },
  },
});
