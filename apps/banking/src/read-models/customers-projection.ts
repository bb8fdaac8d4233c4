/**
 * The customer directory. Personal fields are stored as JSON so that they can hold the erased
 * marker `{ "$erased": true }`: events of an erased customer read back with it, and the
 * runtime's `$strata.SubjectErased` event scrubs rows already written, in the same transaction
 * as the projection's checkpoint.
 *
 * @module
 */
import { bankingRegistry } from "@strata/banking-events";
import type { BankingEvent } from "@strata/banking-events";
import { defineProjection, isErased, isSubjectErasedEvent, scrubSubjectRows } from "@strata/runtime";
import type { Projection, SubjectErasedEvent } from "@strata/runtime";

interface CustomersDb {
  customers: {
    customer_id: string;
    name: string;
    email: string;
    address: string;
    erased: boolean;
    registered_at: Date;
  };
}

/** The customer-directory projection, its tables in Postgres schema `schema`. */
export function customersProjection(schema: string): Projection<BankingEvent | SubjectErasedEvent, "CustomerRegistered" | "$strata.SubjectErased", CustomersDb> {
  return defineProjection<typeof bankingRegistry, "CustomerRegistered" | "$strata.SubjectErased", CustomersDb>(bankingRegistry, {
    name: `${schema}-customers`,
    schema: `${schema}_customers`,
    version: 1,
    handles: ["CustomerRegistered", "$strata.SubjectErased"],
    migrations: {
      "001-customers": {
        up: async (db) => {
          await db.schema
            .createTable("customers")
            .addColumn("customer_id", "text", (column) => column.primaryKey())
            .addColumn("name", "jsonb", (column) => column.notNull())
            .addColumn("email", "jsonb", (column) => column.notNull())
            .addColumn("address", "jsonb", (column) => column.notNull())
            .addColumn("erased", "boolean", (column) => column.notNull())
            .addColumn("registered_at", "timestamptz", (column) => column.notNull())
            .execute();
        },
      },
    },
    handle: async (events, { db, schema: target }) => {
      for (const event of events) {
        if (isSubjectErasedEvent(event)) {
          // Erasure: the row keeps its id and dates, its personal fields become the erased marker.
          // Cast: scrubSubjectRows is typed for any Kysely database but Kysely's generics are invariant.
          await scrubSubjectRows(db as unknown as Parameters<typeof scrubSubjectRows>[0], { table: `${target}.customers`, subjectColumn: "customer_id", subjectId: event.data.subjectId, mode: "mark-erased", piiColumns: ["name", "email", "address"] });
          await db.updateTable("customers").set({ erased: true }).where("customer_id", "=", event.data.subjectId).execute();
          continue;
        }
        const { customerId, name, email, address } = event.data;
        await db
          .insertInto("customers")
          .values({
            customer_id: customerId,
            name: JSON.stringify(name),
            email: JSON.stringify(email),
            address: JSON.stringify(address),
            erased: [name, email, address].some((field) => isErased(field)),
            registered_at: event.recordedAt,
          })
          .onConflict((conflict) => conflict.column("customer_id").doNothing())
          .execute();
      }
    },
  });
}
