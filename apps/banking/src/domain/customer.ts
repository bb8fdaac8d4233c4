/**
 * The customer aggregate. Its state holds no personal data (only whether the customer exists),
 * so snapshots of it never need erasing.
 *
 * @module
 */
import type { bankingRegistry, CustomerRegisteredV1 } from "@strata/banking-events";
import { defineDecider, reject } from "@strata/runtime";
import type { DeciderFor } from "@strata/runtime";

/** Registers a person as a customer; name, email and address are personal data. */
export interface RegisterCustomer {
  readonly type: "RegisterCustomer";
  readonly data: CustomerRegisteredV1;
}

/** The commands a customer accepts. */
export type CustomerCommand = RegisterCustomer;

/** Why a customer command was refused. */
export type CustomerError = { readonly code: "customer_already_exists"; readonly customerId: string };

/** What the decider remembers about a customer: only that it exists. */
export interface CustomerState {
  readonly registered: boolean;
  readonly customerId: string | null;
}

/**
 * The customer decider's type. `evolve` reads `CustomerRegistered` with name, email and address
 * as `T | Erased`; it keeps only the customer id, which is not personal data.
 */
export type CustomerDecider = DeciderFor<typeof bankingRegistry, CustomerState, CustomerCommand, CustomerError, "CustomerRegistered">;

/** The customer decider. */
export const customerDecider = defineDecider<CustomerDecider>({
  name: "banking-customer",
  stateVersion: 1,
  initialState: { registered: false, customerId: null },
  evolve: (state, event) => {
    switch (event.type) {
      case "CustomerRegistered":
        return { ...state, registered: true, customerId: event.data.customerId };
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case "RegisterCustomer":
        if (state.registered) return reject({ code: "customer_already_exists", customerId: command.data.customerId });
        return [{ type: "CustomerRegistered", data: command.data }];
    }
  },
});
