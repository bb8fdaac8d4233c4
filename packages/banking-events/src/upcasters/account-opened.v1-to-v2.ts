// Hand-written upcaster, scaffolded once by @strata/codegen; codegen never overwrites this file.
import type { UpcastContext } from "@strata/runtime";
import type { AccountOpenedV1, AccountOpenedV2 } from "../generated/account-opened.types.gen.js";

/**
 * Upcasts AccountOpened v1 data to v2. Pure: same input, same output, no I/O.
 * `context` carries the stored event's id, stream, recorded time and metadata.
 *
 * Changes to bridge (from `strata check`):
 * - /overdraftLimitMinor: constraint-tightened, upper bound none → <= 100000000000
 */
export function upcastAccountOpenedV1ToV2(data: AccountOpenedV1, _context: UpcastContext): AccountOpenedV2 {
  // The new bounds constrain what is written from now on; they do not rewrite history. An overdraft limit granted before the bound stays granted.
  return data as AccountOpenedV2;
}
