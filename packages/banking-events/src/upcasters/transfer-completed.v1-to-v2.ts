// Hand-written upcaster, scaffolded once by @strata/codegen; codegen never overwrites this file.
import type { UpcastContext } from "@strata/runtime";
import type { TransferCompletedV1, TransferCompletedV2 } from "../generated/transfer-completed.types.gen.js";

/**
 * Upcasts TransferCompleted v1 data to v2. Pure: same input, same output, no I/O.
 * `context` carries the stored event's id, stream, recorded time and metadata.
 *
 * Changes to bridge (from `strata check`):
 * - /money: ref-target-changed, $ref https://strata.dev/schemas/banking/_defs/money.json → $ref https://strata.dev/schemas/banking/_defs/bounded-money.json
 * - /money/amountMinor: constraint-tightened, upper bound none → <= 100000000000
 */
export function upcastTransferCompletedV1ToV2(data: TransferCompletedV1, _context: UpcastContext): TransferCompletedV2 {
  // The new bounds constrain what is written from now on; they do not rewrite history. An amount is money: an event recorded above today's bound keeps its amount.
  return data as TransferCompletedV2;
}
