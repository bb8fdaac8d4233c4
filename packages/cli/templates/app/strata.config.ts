/**
 * What the `strata` commands need to know about this application: where the events live, their
 * registry, and the projections (`strata projections status|retry|skip|rebuild`).
 */
import { defineConfig } from "@strata/cli";
import { customerList } from "./src/customer-list.js";
import { database } from "./src/database.js";
import { shopRegistry } from "./src/events/shop/src/index.js";

export default defineConfig({
  database: database(),
  registry: shopRegistry,
  projections: [customerList],
});
