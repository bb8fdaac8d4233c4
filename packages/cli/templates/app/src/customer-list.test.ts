import { projectionSpec } from "@strata/runtime/testing";
import { afterAll, expect, it } from "vitest";
import { customerList } from "./customer-list.js";

// Embedded PGlite in memory: the read model is real SQL. Each event is applied twice to prove
// the projection idempotent.
const spec = projectionSpec(customerList);
afterAll(() => spec.close());

it("lists registered customers by tier", () =>
  spec
    .given([{ type: "CustomerRegistered", data: { customerId: "c-1", name: "Ada", email: "ada@example.com", tier: "gold" }, streamId: "customer-c-1" }])
    .when([{ type: "CustomerRegistered", data: { customerId: "c-2", name: "Bob", email: "bob@example.com", tier: "standard" }, streamId: "customer-c-2" }])
    .then(async (db) => {
      const rows = await db.selectFrom("customers").select(["customer_id", "tier"]).orderBy("customer_id").execute();
      expect(rows).toEqual([
        { customer_id: "c-1", tier: "gold" },
        { customer_id: "c-2", tier: "standard" },
      ]);
    }));
