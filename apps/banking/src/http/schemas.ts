/**
 * Request and response schemas of the API, built from the generated event validators so that a
 * request the API accepts is an event the store accepts.
 *
 * @module
 */
import {
  accountFrozenV1Schema,
  accountOpenedV2Schema,
  customerRegisteredV2Schema,
  moneyDepositedV4Schema,
  moneyWithdrawnV2Schema,
  transferFailedV2Schema,
  transferInitiatedV2Schema,
} from "@strata/banking-events";
import { z } from "zod";
import { RESERVED_REFERENCE_PREFIXES } from "../domain/money.js";

const notReserved = (reference: string | undefined): boolean => reference === undefined || !RESERVED_REFERENCE_PREFIXES.some((prefix) => reference.startsWith(prefix));
const reference = moneyDepositedV4Schema.shape.reference.refine(notReserved, 'References starting with "transfer:" or "refund:" are reserved for transfers');

/** An id in a path. */
export const idParams = z.strictObject({ id: accountOpenedV2Schema.shape.accountId });

/** Money in minor units of one currency. */
export const moneySchema = moneyDepositedV4Schema.shape.money;

/** Headers of every command. */
export const commandHeaders = z.object({
  "idempotency-key": z.string().min(1).max(200).optional().describe("Makes the command retryable: it becomes the event id, so a retry applies once."),
  "if-match": z
    .string()
    .regex(/^"?\d+"?$/, "Must be a stream version, e.g. 3")
    .optional()
    .describe("The account version the command expects (from ETag); a mismatch is a 409 conflict."),
});

/** `POST /customers`. */
export const registerCustomerBody = customerRegisteredV2Schema.omit({ customerId: true });
/** `POST /accounts`. */
export const openAccountBody = accountOpenedV2Schema.omit({ accountId: true });
/** `POST /accounts/:id/deposits`. */
export const depositBody = z.strictObject({ money: moneySchema, source: z.enum(["cash", "card"]), reference });
/** `POST /accounts/:id/withdrawals`. */
export const withdrawBody = moneyWithdrawnV2Schema.omit({ accountId: true }).extend({ reference });
/** `POST /accounts/:id/freeze`. */
export const freezeBody = accountFrozenV1Schema.omit({ accountId: true });
/** `POST /transfers`. */
export const transferBody = transferInitiatedV2Schema.pick({ fromAccountId: true, toAccountId: true, money: true }).extend({ reference });

/** `GET /accounts/:id` time travel. */
export const timeTravelQuery = z.strictObject({
  atVersion: z.coerce.number().int().min(1).optional().describe("The account as it was at this stream version."),
  asOf: z.iso.datetime({ offset: true }).optional().describe("The account as it was at this instant (ISO 8601)."),
}).refine((query) => query.atVersion === undefined || query.asOf === undefined, { message: "Give atVersion or asOf, not both", path: ["asOf"] });

/** Cursor pagination. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.string().max(200).optional().describe("The `next` cursor of the previous page."),
});

/** What a command answers. */
export const commandResponse = z.object({
  streamId: z.string(),
  version: z.number().int().describe("The stream version after the command; send it as If-Match next time."),
  eventIds: z.array(z.string()),
});

/** An account's state, now or at a version / instant. */
export const accountView = z.object({
  accountId: z.string(),
  customerId: z.string(),
  currency: moneySchema.shape.currency,
  status: z.enum(["open", "frozen", "closed"]),
  balanceMinor: z.number().int(),
  overdraftLimitMinor: z.number().int(),
  version: z.number().int(),
});

/** A recorded event of an account, upcast to the latest schema. */
export const eventView = z.object({
  id: z.string(),
  version: z.number().int(),
  type: z.string(),
  schemaVersion: z.number().int().describe("The version the data is shown in (the latest)."),
  storedSchemaVersion: z.number().int().describe("The version the event was written with."),
  recordedAt: z.string(),
  data: z.unknown(),
});

/** A transfer's state. */
export const transferView = z.object({
  transferId: z.string(),
  status: z.enum(["initiated", "completed", "failed"]),
  fromAccountId: z.string(),
  toAccountId: z.string(),
  money: moneySchema,
  reason: transferFailedV2Schema.shape.reason.optional(),
  compensated: z.boolean().optional(),
});

/** A row of the balances read model. */
export const balanceView = z.object({
  accountId: z.string(),
  customerId: z.string(),
  currency: z.string(),
  balanceMinor: z.number().int(),
  status: z.string(),
});

/** A row of an account's transaction history. */
export const transactionView = z.object({
  accountId: z.string(),
  version: z.number().int(),
  kind: z.enum(["deposit", "withdrawal"]),
  amountMinor: z.number().int().describe("Signed: negative for withdrawals."),
  currency: z.string(),
  source: z.string().nullable(),
  reference: z.string().nullable(),
  recordedAt: z.string(),
});

/** An erased personal-data field. */
export const erasedMarker = z.object({ $erased: z.literal(true) });
const pii = <T extends z.ZodType>(schema: T) => z.union([schema, erasedMarker]);

/** A row of the customer directory; personal fields read `{ "$erased": true }` after erasure. */
export const customerView = z.object({
  customerId: z.string(),
  name: pii(z.string()),
  email: pii(z.string()),
  address: pii(customerRegisteredV2Schema.shape.address),
  erased: z.boolean(),
  registeredAt: z.string(),
});

/** A page of items. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });

/** The erasure endpoint's answer: complete (`erased: true`) or accepted with the places still pending. */
export const erasureReply = z.object({
  customerId: z.string(),
  erased: z.boolean(),
  outcome: z.enum(["erased", "already-erased", "unknown-subject", "pending", "failed"]),
  pending: z.array(z.object({ place: z.string(), status: z.enum(["pending", "failed"]), detail: z.string().optional() })),
});
