/**
 * Rows of the read models as the API returns them, and their mapping from SQL rows (bigint
 * columns arrive as strings from pg and as numbers or bigints from PGlite; jsonb arrives parsed).
 *
 * @module
 */

/** A page of items; `next` is the cursor of the following page, `null` on the last one. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

/** An account's balance. */
export interface BalanceRow {
  readonly accountId: string;
  readonly customerId: string;
  readonly currency: string;
  readonly balanceMinor: number;
  readonly status: string;
}

/** One deposit or withdrawal. */
export interface TransactionRow {
  readonly accountId: string;
  readonly version: number;
  readonly kind: "deposit" | "withdrawal";
  readonly amountMinor: number;
  readonly currency: string;
  readonly source: string | null;
  readonly reference: string | null;
  readonly recordedAt: string;
}

/** A directory entry; personal fields hold `{ "$erased": true }` once erased. */
export interface CustomerRow {
  readonly customerId: string;
  readonly name: unknown;
  readonly email: unknown;
  readonly address: unknown;
  readonly erased: boolean;
  readonly registeredAt: string;
}

/** How a projection is doing, for `/health`. */
export interface ProjectionHealth {
  readonly name: string;
  readonly state: string;
  readonly lagEvents: number;
  readonly lagSeconds: number;
  readonly position: string | null;
  readonly lastError: string | null;
}

type Row = Readonly<Record<string, unknown>>;

const text = (value: unknown): string => (typeof value === "string" ? value : String(value));
const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : new Date(text(value)).toISOString());

/** Maps a balances row. */
export const toBalance = (row: Row): BalanceRow => ({
  accountId: text(row["account_id"]),
  customerId: text(row["customer_id"]),
  currency: text(row["currency"]),
  balanceMinor: Number(row["balance_minor"]),
  status: text(row["status"]),
});

/** Maps a transactions row. */
export const toTransaction = (row: Row): TransactionRow => ({
  accountId: text(row["account_id"]),
  version: Number(row["version"]),
  kind: row["kind"] === "deposit" ? "deposit" : "withdrawal",
  amountMinor: Number(row["amount_minor"]),
  currency: text(row["currency"]),
  source: row["source"] === null ? null : text(row["source"]),
  reference: row["reference"] === null ? null : text(row["reference"]),
  recordedAt: iso(row["recorded_at"]),
});

/** Maps a customers row; its personal columns are still sealed (the read models open them). */
export const toCustomer = (row: Row): CustomerRow => ({
  customerId: text(row["customer_id"]),
  name: row["name"],
  email: row["email"],
  address: row["address"],
  erased: row["erased"] === true,
  registeredAt: iso(row["registered_at"]),
});
