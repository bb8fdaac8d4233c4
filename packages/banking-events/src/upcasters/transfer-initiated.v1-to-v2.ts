// Hand-written upcaster, scaffolded once by @strata/codegen; codegen never overwrites this file.
import type { UpcastContext } from "@strata/runtime";
import type { TransferInitiatedV1, TransferInitiatedV2 } from "../generated/transfer-initiated.types.gen.js";

/**
 * Upcasts TransferInitiated v1 data to v2. Pure: same input, same output, no I/O.
 * `context` carries the stored event's id, stream, recorded time and metadata.
 *
 * Changes to bridge (from `strata check`):
 * - /money: ref-target-changed, $ref https://strata.dev/schemas/banking/_defs/money.json → $ref https://strata.dev/schemas/banking/_defs/bounded-money.json
 * - /money/amountMinor: constraint-tightened, upper bound none → <= 100000000000
 * - /payeeName: constraint-tightened, maxLength none → 200
 * - /payerName: constraint-tightened, maxLength none → 200
 */
export function upcastTransferInitiatedV1ToV2(data: TransferInitiatedV1, _context: UpcastContext): TransferInitiatedV2 {
  // The new bounds constrain what is written from now on; they do not rewrite history. The amount is money and the names are personal data (possibly the erased marker): both stay as recorded.
  return data as TransferInitiatedV2;
}
