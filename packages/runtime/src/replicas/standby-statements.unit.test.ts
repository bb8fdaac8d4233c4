import { expect, it } from "vitest";
import { partitionOfSql, partitionStatements } from "../projections/scale-out/partition-statements.js";
import { buildStatements } from "../store/statements.js";
import { buildStandbyStatements, STANDBY_HORIZON_SQL } from "./standby-statements.js";

it("reads the global order on a standby below the snapshot's xmin, never through pg_locks, and changes nothing else", () => {
  const primary = buildStatements("app");
  const standby = buildStandbyStatements("app");
  expect(primary.readAll).toContain("pg_locks");
  expect(standby.readAll).not.toContain("pg_locks");
  // The horizon an earlier read computed may be passed in ($6); else the standby's own.
  expect(standby.readAll).toContain(`COALESCE($6::xid8, ${STANDBY_HORIZON_SQL}) AS horizon`);
  // Never reused across reads: one set of statements serves standbys that replay at their own pace.
  expect([primary.reusableHorizon, standby.reusableHorizon]).toEqual([true, false]);
  const texts = (statements: typeof primary) => Object.entries(statements).filter(([key, value]) => key !== "readAll" && typeof value === "string");
  expect(texts(standby)).toEqual(texts(primary));
  expect(standby.append("extend", true)).toBe(primary.append("extend", true));
});

it("narrows a partition's read to the streams hashing to it, inside the global-order scan", () => {
  const statements = partitionStatements(buildStandbyStatements("app"), 8, 3);
  expect(statements.readAll).toContain(`AND ${partitionOfSql("stream_id", 8)} = 3`);
  expect(statements.readAll.indexOf(partitionOfSql("stream_id", 8))).toBeLessThan(statements.readAll.indexOf("ORDER BY transaction_id, global_position LIMIT"));
  expect(() => partitionStatements(buildStatements("app"), 8, 8)).toThrow(RangeError);
});
