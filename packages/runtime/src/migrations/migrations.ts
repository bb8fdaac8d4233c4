import type { Migration } from "kysely/migration";
import { initialMigration } from "./0001-initial/migration.js";
import { projectionsMigration } from "./0002-projections/migration.js";
import { personalDataMigration } from "./0003-personal-data/migration.js";
import { erasureSafetyMigration } from "./0004-erasure-safety/migration.js";
import { storeHardeningMigration } from "./0005-store-hardening/migration.js";
import { processManagersMigration } from "./0006-process-managers/migration.js";
import { scaleOutProjectionsMigration } from "./0007-scale-out-projections/migration.js";
import { eventIdLookupMigration } from "./0008-event-id-lookup/migration.js";
import { scaleOutFailuresMigration } from "./0009-scale-out-failures/migration.js";

/**
 * Every release's migration, in order. Names sort lexically; a release adds a folder
 * `NNNN-name/` and one line here, and never edits an earlier one.
 */
export function storeMigrations(schema: string): Readonly<Record<string, Migration>> {
  return {
    "0001-initial": initialMigration(schema),
    "0002-projections": projectionsMigration(schema),
    "0003-personal-data": personalDataMigration(schema),
    "0004-erasure-safety": erasureSafetyMigration(schema),
    "0005-store-hardening": storeHardeningMigration(schema),
    "0006-process-managers": processManagersMigration(schema),
    "0007-scale-out-projections": scaleOutProjectionsMigration(schema),
    "0008-event-id-lookup": eventIdLookupMigration(schema),
    "0009-scale-out-failures": scaleOutFailuresMigration(schema),
  };
}
