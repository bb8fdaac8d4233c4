/**
 * The banking registry as earlier releases of the app knew it: MoneyDeposited at v1 (amount in
 * euro cents) or v2 (amount and currency). A store opened with one of these writes
 * MoneyDeposited at that schema version, exactly as the old release did; the current store
 * reads those events upcast to v3. The demo seed uses them to keep history written in v1 and v2.
 *
 * @module
 */
import type { MoneyDepositedV1, MoneyDepositedV2 } from "@strata/banking-events";
import { bankingRegistry, moneyDepositedSpec } from "@strata/banking-events";
import { createEventStore, defineRegistry } from "@strata/runtime";
import type { DatabaseConfig, EventRegistry, EventShape, EventStore, EventTypeSpec } from "@strata/runtime";

function moneyDepositedAt(version: 1 | 2): EventTypeSpec<"MoneyDeposited"> {
  const versions = Object.fromEntries(Object.entries(moneyDepositedSpec.versions).filter(([key]) => Number(key) <= version));
  return { ...moneyDepositedSpec, latestVersion: version, versions, upcasters: moneyDepositedSpec.upcasters.filter((step) => step.to <= version) };
}

/** MoneyDeposited as release 1 wrote it. */
export type LegacyDepositV1 = EventShape<"MoneyDeposited", MoneyDepositedV1>;
/** MoneyDeposited as release 2 wrote it. */
export type LegacyDepositV2 = EventShape<"MoneyDeposited", MoneyDepositedV2>;

/** The registry of release 1 (MoneyDeposited v1). */
export const releaseOneRegistry = defineRegistry<LegacyDepositV1>({ context: bankingRegistry.context, events: { MoneyDeposited: moneyDepositedAt(1) } });
/** The registry of release 2 (MoneyDeposited v2). */
export const releaseTwoRegistry = defineRegistry<LegacyDepositV2>({ context: bankingRegistry.context, events: { MoneyDeposited: moneyDepositedAt(2) } });

/** Opens a store that writes like release 1 or 2, on the current store's database and schema (migrations left to the current store). */
export async function openLegacyWriter<E extends EventShape>(registry: EventRegistry<E>, database: DatabaseConfig, schema: string): Promise<EventStore<E>> {
  return (await createEventStore({ registry, database, schema, migrate: false })) as unknown as EventStore<E>;
}
