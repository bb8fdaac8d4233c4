// Hand-written upcaster, scaffolded once by @strata/codegen; codegen never overwrites this file.
import type { UpcastContext } from "@strata/runtime";
import type { MoneyDepositedV3, MoneyDepositedV4 } from "../generated/money-deposited.types.gen.js";

/**
 * Upcasts MoneyDeposited v3 data to v4. Pure: same input, same output, no I/O.
 * `context` carries the stored event's id, stream, recorded time and metadata.
 *
 * Changes to bridge (from `strata check`):
 * - /money: ref-target-changed, $ref https://strata.dev/schemas/banking/_defs/money.json → $ref https://strata.dev/schemas/banking/_defs/bounded-money.json
 * - /money/amountMinor: constraint-tightened, upper bound none → <= 100000000000
 */
export function upcastMoneyDepositedV3ToV4(data: MoneyDepositedV3, _context: UpcastContext): MoneyDepositedV4 {
  // The new bounds constrain what is written from now on; they do not rewrite history. An amount is money: an event recorded above today's bound keeps its amount (changing it would change balances).
  return data as MoneyDepositedV4;
}
