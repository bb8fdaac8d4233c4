/**
 * Test support: a small catalog in the banking sample's image — a three-version event with a
 * nested object and an enum, and an event with personal data bound to a subject.
 */
import type { FixtureContext } from "./catalog-fixture.js";

const money = {
  type: "object",
  title: "Money",
  properties: {
    amountMinor: { type: "integer", minimum: 1 },
    currency: { type: "string", enum: ["EUR", "USD"] },
  },
  required: ["amountMinor", "currency"],
  additionalProperties: false,
} as const;

export const BANKING_LIKE: FixtureContext = {
  name: "banking",
  events: {
    MoneyDeposited: [
      {
        schema: {
          title: "MoneyDeposited",
          description: "Money was paid in.",
          type: "object",
          properties: { accountId: { type: "string", format: "uuid" }, amount: { type: "integer", minimum: 1 } },
          required: ["accountId", "amount"],
          additionalProperties: false,
        },
      },
      {
        schema: {
          title: "MoneyDeposited",
          type: "object",
          properties: {
            accountId: { type: "string", format: "uuid" },
            amount: { type: "integer", minimum: 1 },
            currency: { type: "string", enum: ["EUR", "USD"], default: "EUR" },
          },
          required: ["accountId", "amount", "currency"],
          additionalProperties: false,
        },
      },
      {
        schema: {
          title: "MoneyDeposited",
          description: "Money was paid in, as Money.",
          type: "object",
          properties: {
            accountId: { type: "string", format: "uuid" },
            money,
            source: { type: "string", enum: ["cash", "card"] },
            reference: { type: "string" },
          },
          required: ["accountId", "money", "source"],
          additionalProperties: false,
        },
      },
    ],
    CustomerRegistered: [
      {
        schema: {
          title: "CustomerRegistered",
          type: "object",
          properties: {
            customerId: { type: "string", format: "uuid", "x-data-subject": true },
            name: { type: "string", minLength: 1, "x-pii": true },
          },
          required: ["customerId", "name"],
          additionalProperties: false,
        },
        pii: [{ path: "/name", subject: "/customerId" }],
      },
    ],
  },
};
