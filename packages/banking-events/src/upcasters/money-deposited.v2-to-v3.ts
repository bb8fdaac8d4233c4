// Hand-written upcaster, scaffolded once by @strata/codegen; codegen never overwrites this file.
import type { UpcastContext } from "@strata/runtime";
import type { MoneyDepositedV2, MoneyDepositedV3 } from "../generated/money-deposited.types.gen.js";

/**
 * Upcasts MoneyDeposited v2 data to v3. Pure: same input, same output, no I/O.
 *
 * v3 carries the amount as Money (`amount` + `currency` → `money`) and says where the money came
 * from; v2 events never recorded that, so they read as `source: "unknown"`. v2 had no reference.
 */
export function upcastMoneyDepositedV2ToV3(data: MoneyDepositedV2, _context: UpcastContext): MoneyDepositedV3 {
  return {
    accountId: data.accountId,
    money: { amountMinor: data.amount, currency: data.currency },
    source: "unknown",
  };
}
