/**
 * The query side: three projections run by the runtime's projection engine, and the queries the
 * API answers from their tables.
 *
 * @module
 */
import { bankingRegistry } from "@strata/banking-events";
import { createProjectionEngine } from "@strata/runtime";
import type { DatabaseConfig, KekProvider, ProjectionEngine } from "@strata/runtime";
import type { ReadDb } from "../infra/read-db.js";
import { balancesProjection } from "./balances-projection.js";
import { customersProjection, DIRECTORY_TABLE } from "./customers-projection.js";
import type { DirectoryColumns } from "./directory-columns.js";
import { transactionsProjection } from "./transactions-projection.js";
import type { BalanceRow, CustomerRow, Page, ProjectionHealth, TransactionRow } from "./rows.js";
import { toBalance, toCustomer, toTransaction } from "./rows.js";

/** What the API reads, and the lifecycle of the projections behind it. */
export interface ReadModels {
  /** Balances, optionally of one customer's accounts. */
  balances(filter?: { readonly customerId?: string | undefined }): Promise<readonly BalanceRow[]>;
  /** One account's transactions in stream order, `limit` per page after the cursor `after`. */
  transactions(accountId: string, page: { readonly limit: number; readonly after?: string | undefined }): Promise<Page<TransactionRow>>;
  /** The customer directory, paged by customer id. */
  customers(page: { readonly limit: number; readonly after?: string | undefined }): Promise<Page<CustomerRow>>;
  customer(customerId: string): Promise<CustomerRow | undefined>;
  /** Position, lag and state of each projection. */
  health(): Promise<readonly ProjectionHealth[]>;
  /** Resolves when every projection has applied every event committed before the call. */
  catchUp(): Promise<void>;
  start(): Promise<void>;
  /** Stops the runners (each checkpoint is committed with its batch) and closes the engine. */
  close(): Promise<void>;
}

/** Where the read models live. */
export interface ReadModelsOptions {
  /** The store's database (for PGlite, the same instance). */
  readonly database: DatabaseConfig;
  /** The store's Postgres schema. */
  readonly storeSchema: string;
  /** Prefix of the read-model schemas and projection names (default `"banking"`). */
  readonly prefix?: string;
  readonly readDb: ReadDb;
  /** The KEK of a store with crypto-shredding, so handlers see personal fields decrypted (or erased). */
  readonly personalData?: { readonly kek: KekProvider } | undefined;
  /** Idle polling interval of the runners (default 250 ms). */
  readonly pollMs?: number;
  /** How the customer directory seals its personal columns (the runtime's `personalColumns`, or `plainColumns` when unencrypted). */
  readonly columns: DirectoryColumns;
  /** Told about projection failures (class and code only reach the logs). */
  readonly onError?: (error: unknown, info: { readonly name: string; readonly attempt: number }) => void;
}

/** Opens the projection engine with the banking projections. */
export async function createReadModels(options: ReadModelsOptions): Promise<ReadModels> {
  const prefix = options.prefix ?? "banking";
  const balances = balancesProjection(prefix);
  const transactions = transactionsProjection(prefix);
  const customers = customersProjection(prefix, options.columns);
  const engine: ProjectionEngine = await createProjectionEngine({
    database: options.database,
    schema: options.storeSchema,
    registry: bankingRegistry,
    projections: [balances, transactions, customers],
    pollMs: options.pollMs ?? 250,
    ...(options.personalData === undefined ? {} : { personalData: options.personalData }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  const db = options.readDb;
  // The directory's personal columns are sealed: opened here, for the API only.
  const openCustomer = async (row: Record<string, unknown>): Promise<CustomerRow> => {
    const customer = toCustomer(row);
    const open = (column: "name" | "email" | "address") => options.columns.open(String(row[column]), { table: DIRECTORY_TABLE, column, rowKey: customer.customerId });
    return { ...customer, name: await open("name"), email: await open("email"), address: await open("address") };
  };
  const table = (projection: { readonly schema: string }, name: string): string => `"${projection.schema}".${name}`;

  return {
    balances: async (filter = {}) => {
      const rows = filter.customerId === undefined
        ? await db.query(`SELECT * FROM ${table(balances, "accounts")} ORDER BY account_id`)
        : await db.query(`SELECT * FROM ${table(balances, "accounts")} WHERE customer_id = $1 ORDER BY account_id`, [filter.customerId]);
      return rows.map(toBalance);
    },
    transactions: async (accountId, page) => {
      const after = page.after === undefined ? 0 : Number.parseInt(page.after, 10) || 0;
      const rows = await db.query(`SELECT * FROM ${table(transactions, "transactions")} WHERE account_id = $1 AND version > $2 ORDER BY version LIMIT $3`, [
        accountId,
        after,
        page.limit + 1,
      ]);
      const items = rows.slice(0, page.limit).map(toTransaction);
      return { items, next: rows.length > page.limit ? String(items.at(-1)?.version ?? after) : null };
    },
    customers: async (page) => {
      const rows = await db.query(`SELECT * FROM ${table(customers, "customers")} WHERE customer_id > $1 ORDER BY customer_id LIMIT $2`, [page.after ?? "", page.limit + 1]);
      const items = await Promise.all(rows.slice(0, page.limit).map(openCustomer));
      return { items, next: rows.length > page.limit ? (items.at(-1)?.customerId ?? null) : null };
    },
    customer: async (customerId) => {
      const [row] = await db.query(`SELECT * FROM ${table(customers, "customers")} WHERE customer_id = $1`, [customerId]);
      return row === undefined ? undefined : openCustomer(row);
    },
    health: async () =>
      (await engine.status()).map((status) => ({
        name: status.name,
        state: status.state,
        lagEvents: status.lagEvents,
        lagSeconds: status.lagSeconds,
        position: status.position === null ? null : String(status.position),
        lastError: status.lastError,
      })),
    catchUp: () => engine.catchUp(),
    start: () => engine.start(),
    close: () => engine.close(),
  };
}
