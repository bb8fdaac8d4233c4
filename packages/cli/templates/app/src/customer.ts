/**
 * The customer decider: `decide` turns a command into events (or a refusal) from the state that
 * `evolve` folds from past events. Pure functions: tested with given/when/then, no database.
 */
import { defineDecider, reject } from "@strata/runtime";
import type { DeciderFor } from "@strata/runtime";
import type { shopRegistry, ShopEvent } from "./events/shop/src/index.js";

/** `CustomerRegistered`'s data at its latest version: follows the schema after each codegen. */
export type Registration = Extract<ShopEvent, { readonly type: "CustomerRegistered" }>["data"];

/** Sign a person up as a customer. */
export interface RegisterCustomer {
  readonly type: "RegisterCustomer";
  readonly data: Registration;
}

/** Why a command was refused. */
export type CustomerError = { readonly code: "customer_already_exists"; readonly customerId: string };

/** What the decider remembers: no personal data, so snapshots never need erasing. */
export interface CustomerState {
  readonly registered: boolean;
}

/** Reads `CustomerRegistered` as stored: name and email may be `ERASED` after an erasure. */
export type CustomerDecider = DeciderFor<typeof shopRegistry, CustomerState, RegisterCustomer, CustomerError, "CustomerRegistered">;

/** The customer decider. */
export const customer = defineDecider<CustomerDecider>({
  name: "customer",
  stateVersion: 1,
  initialState: { registered: false },
  evolve: (state, event) => {
    switch (event.type) {
      case "CustomerRegistered":
        return { ...state, registered: true };
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
