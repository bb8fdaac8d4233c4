import { ERASED } from "@strata/runtime";
import { describe, expect, it } from "vitest";

import { bankingRegistry, customerRegisteredV1ReadSchema, customerRegisteredV1Schema, customerRegisteredV2ReadSchema } from "./index.js";

const customer = {
  customerId: "0f8fad5b-d9cb-469f-a165-70867728950e",
  name: "Ada Lovelace",
  email: "ada@example.com",
  address: { street: "1 Main St", city: "London", postalCode: "N1", country: "GB" },
};

/** The read validator of an event type's latest version, as the runtime finds it in the registry. */
function readValidator(type: string) {
  const spec = bankingRegistry.events[type];
  const version = spec?.versions[spec.latestVersion];
  if (version?.readValidator === undefined) throw new Error(`no read validator for ${type}`);
  return version.readValidator;
}

describe("read-side validators", () => {
  it("accept the erased marker at every x-pii path, alone or together", () => {
    for (const field of ["name", "email", "address"] as const) {
      expect(customerRegisteredV1ReadSchema.safeParse({ ...customer, [field]: ERASED }).success).toBe(true);
    }
    expect(customerRegisteredV1ReadSchema.safeParse({ ...customer, name: ERASED, email: ERASED, address: ERASED }).success).toBe(true);
    // A marker that went through JSON (snapshot, read model) is accepted the same way.
    expect(customerRegisteredV1ReadSchema.safeParse(JSON.parse(JSON.stringify({ ...customer, name: ERASED }))).success).toBe(true);
  });

  it("still validate plaintext data exactly like the write validator", () => {
    expect(customerRegisteredV1ReadSchema.safeParse(customer).success).toBe(true);
    expect(customerRegisteredV1ReadSchema.safeParse({ ...customer, name: "" }).success).toBe(false);
    expect(customerRegisteredV1ReadSchema.safeParse({ ...customer, address: { ...customer.address, country: "gb" } }).success).toBe(false);
  });

  it("reject the erased marker anywhere else, and anything that only looks like it", () => {
    expect(customerRegisteredV1ReadSchema.safeParse({ ...customer, customerId: ERASED }).success).toBe(false);
    expect(customerRegisteredV1ReadSchema.safeParse({ ...customer, address: { ...customer.address, city: ERASED } }).success).toBe(false);
    expect(customerRegisteredV1ReadSchema.safeParse({ ...customer, name: { $erased: false } }).success).toBe(false);
    expect(customerRegisteredV1ReadSchema.safeParse({ ...customer, name: { $erased: true, value: "Ada" } }).success).toBe(false);
  });

  it("are what the registry hands the runtime; the write validator keeps refusing the marker", () => {
    expect(readValidator("CustomerRegistered")).toBe(customerRegisteredV2ReadSchema);
    expect(customerRegisteredV1Schema.safeParse({ ...customer, name: ERASED }).success).toBe(false);
    const transfer = {
      transferId: "1b4e28ba-2fa1-41d2-883f-0016d3cca427",
      fromAccountId: "6fa459ea-ee8a-4ca4-894e-db77e160355e",
      toAccountId: "16fd2706-8baf-433b-82eb-8c7fada847da",
      fromCustomerId: customer.customerId,
      toCustomerId: "886313e1-3b8a-4372-9b90-0c9aee199e5d",
      money: { amountMinor: 100, currency: "EUR" },
      payerName: ERASED,
      payeeName: "Bob",
    };
    expect(readValidator("TransferInitiated").safeParse(transfer).success).toBe(true);
    expect(readValidator("TransferInitiated").safeParse({ ...transfer, money: ERASED }).success).toBe(false);
    // Versions without personal data read with their write validator.
    const deposited = bankingRegistry.events["MoneyDeposited"]?.versions[3];
    expect(deposited?.readValidator).toBe(deposited?.validator);
  });
});
