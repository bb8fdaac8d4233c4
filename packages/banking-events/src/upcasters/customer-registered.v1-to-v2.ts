// Hand-written upcaster, scaffolded once by @strata/codegen; codegen never overwrites this file.
import type { UpcastContext } from "@strata/runtime";
import type { CustomerRegisteredV1, CustomerRegisteredV2 } from "../generated/customer-registered.types.gen.js";

/**
 * Upcasts CustomerRegistered v1 data to v2. Pure: same input, same output, no I/O.
 * `context` carries the stored event's id, stream, recorded time and metadata.
 *
 * Changes to bridge (from `strata check`):
 * - /address/city: constraint-tightened, maxLength none → 100
 * - /address/street: constraint-tightened, maxLength none → 200
 * - /email: constraint-tightened, maxLength none → 254
 */
export function upcastCustomerRegisteredV1ToV2(data: CustomerRegisteredV1, _context: UpcastContext): CustomerRegisteredV2 {
  // The new bounds constrain what is written from now on; they do not rewrite history. Personal data stays as the customer gave it (or the erased marker); the read models keep these fields in `text` columns, which hold any length.
  return data as CustomerRegisteredV2;
}
