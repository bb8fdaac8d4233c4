import { createCommandHandler, ERASED } from "@strata/runtime";
import { createMemoryEventStore } from "@strata/runtime/memory";
import { given } from "@strata/runtime/testing";
import { describe, expect, it } from "vitest";
import { shopRegistry } from "./events/shop/src/index.js";
import { customer } from "./customer.js";

const ada = { customerId: "c-1", name: "Ada Lovelace", email: "ada@example.com", tier: "standard" } as const;

describe("customer decider", () => {
  it("registers a new customer", () => {
    given(customer, []).when({ type: "RegisterCustomer", data: ada }).then([{ type: "CustomerRegistered", data: ada }]);
  });

  it("refuses to register the same customer twice", () => {
    given(customer, [{ type: "CustomerRegistered", data: ada }]).when({ type: "RegisterCustomer", data: ada }).then("customer_already_exists");
  });
});

describe("customer on an event store (in memory)", () => {
  it("appends, reads back, and reads the personal fields as ERASED after erasure", async () => {
    const store = createMemoryEventStore({ registry: shopRegistry });
    const customers = createCommandHandler({ store, decider: customer });
    await customers.handle("customer-c-1", { type: "RegisterCustomer", data: ada });

    const read = [];
    for await (const event of store.readStream("customer-c-1")) read.push(event.data);
    expect(read).toEqual([ada]);

    await store.eraseSubject("c-1");
    for await (const event of store.readStream("customer-c-1")) expect(event.data).toEqual({ ...ada, name: ERASED, email: ERASED });
  });
});
