/**
 * The customer directory. Personal fields (name, email, address) are sealed with the customer's
 * own data key (`DirectoryColumns`, the runtime's `personalColumns`): a dump of this table shows
 * ciphertext only, and once a customer is erased their columns read back as the erased marker
 * without any scrub. The projection still handles `$strata.SubjectErased`, only to set the row's
 * `erased` flag in the transaction of its checkpoint.
 *
 * @module
 */
import { bankingRegistry } from "@strata/banking-events";
import type { BankingEvent } from "@strata/banking-events";
import { defineProjection, isErased, isSubjectErasedEvent } from "@strata/runtime";
import type { Projection, SubjectErasedEvent } from "@strata/runtime";
import type { DirectoryColumns } from "./directory-columns.js";

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

/** The table the sealed columns are bound to. */
export const DIRECTORY_TABLE = "customers";

/** The customer-directory projection, its tables in Postgres schema `schema`; `columns` seals the personal fields. */
export function customersProjection(schema: string, columns: DirectoryColumns): Projection<BankingEvent | SubjectErasedEvent, "CustomerRegistered" | "$strata.SubjectErased", CustomersDb> {
  return defineProjection<typeof bankingRegistry, "CustomerRegistered" | "$strata.SubjectErased", CustomersDb>(bankingRegistry, {
    name: `${schema}-customers`,
    schema: `${schema}_customers`,
    // Version 2: personal columns sealed (text) instead of JSON in clear; a rebuild fills them.
    version: 2,
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
      "002-sealed-columns": {
        up: async (db) => {
          for (const column of ["name", "email", "address"] as const) {
            await db.schema.alterTable("customers").alterColumn(column, (alter) => alter.setDataType("text")).execute();
          }
        },
      },
    },
    handle: async (events, { db }) => {
      for (const event of events) {
        if (isSubjectErasedEvent(event)) {
          // The sealed columns need no scrub: the customer's key is gone. Only the flag changes.
          await db.updateTable("customers").set({ erased: true }).where("customer_id", "=", event.data.subjectId).execute();
          continue;
        }
        const { customerId, name, email, address } = event.data;
        // Cast: the helper takes any Kysely; Kysely's generics are invariant.
        const sealer = db as unknown as Parameters<DirectoryColumns["seal"]>[0];
        const seal = (column: "name" | "email" | "address", value: unknown) => columns.seal(sealer, customerId, value, { table: DIRECTORY_TABLE, column, rowKey: customerId });
        await db
          .insertInto("customers")
          .values({
            customer_id: customerId,
            name: await seal("name", name),
            email: await seal("email", email),
            address: await seal("address", address),
            erased: [name, email, address].some((field) => isErased(field)),
            registered_at: event.recordedAt,
          })
          .onConflict((conflict) => conflict.column("customer_id").doNothing())
          .execute();
      }
    },
  });
}
