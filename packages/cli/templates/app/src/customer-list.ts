/**
 * A read model: customers by tier. It keeps no personal data (name and email stay in the events,
 * encrypted), so an erasure has nothing to scrub here.
 */
import { defineProjection } from "@strata/runtime";
import { shopRegistry } from "./events/shop/src/index.js";

/** The read model's tables, as Kysely sees them. */
export interface CustomerListDb {
  customers: { customer_id: string; tier: string; registered_at: Date };
}

/** The projection: `strata projections status` lists it (see strata.config.ts). */
export const customerList = defineProjection<typeof shopRegistry, "CustomerRegistered", CustomerListDb>(shopRegistry, {
  name: "customer-list",
  schema: "customer_list",
  version: 1,
  handles: ["CustomerRegistered"],
  migrations: {
    "001-customers": {
      up: (db) =>
        db.schema
          .createTable("customers")
          .addColumn("customer_id", "text", (column) => column.primaryKey())
          .addColumn("tier", "text", (column) => column.notNull())
          .addColumn("registered_at", "timestamptz", (column) => column.notNull())
          .execute(),
    },
  },
  handle: async (events, { db }) => {
    for (const event of events) {
      await db
        .insertInto("customers")
        .values({ customer_id: event.data.customerId, tier: event.data.tier, registered_at: event.recordedAt })
        .onConflict((conflict) => conflict.column("customer_id").doNothing())
        .execute();
    }
  },
});
