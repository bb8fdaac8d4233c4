import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { isStrataError } from "../errors.js";
import { scrubSubjectRows } from "./scrub-subject-rows.js";
import { isSubjectErasedEvent, SUBJECT_ERASED_EVENT_TYPE, systemEventSpec } from "./system-events.js";

describe("system events", () => {
  it("declares only $strata.SubjectErased; other $strata. types and registry types are not system events", () => {
    expect(systemEventSpec(SUBJECT_ERASED_EVENT_TYPE)?.latestVersion).toBe(1);
    expect(systemEventSpec("$strata.Anything")).toBeUndefined();
    expect(systemEventSpec("CustomerRegistered")).toBeUndefined();
    expect(systemEventSpec("$strata.toString")).toBeUndefined();
  });

  it("validates SubjectErased data strictly, listing every issue with its path", () => {
    const validator = systemEventSpec(SUBJECT_ERASED_EVENT_TYPE)?.versions[1]?.validator;
    const data = { subjectId: "s", subjectHash: "h", erasedAt: "2026-01-01T00:00:00.000Z" };
    expect(validator?.safeParse(data)).toEqual({ success: true, data });
    const bad = validator?.safeParse({ subjectId: "", erasedAt: 1, extra: true });
    expect(bad?.success).toBe(false);
    if (bad !== undefined && !bad.success) expect(bad.error.issues.map((issue) => issue.path.join("/"))).toEqual(["subjectId", "subjectHash", "erasedAt", "extra"]);
    expect(validator?.safeParse(null).success).toBe(false);
    expect(isSubjectErasedEvent({ type: SUBJECT_ERASED_EVENT_TYPE, data })).toBe(true);
    expect(isSubjectErasedEvent({ type: "Other", data })).toBe(false);
  });
});

describe("scrubSubjectRows", () => {
  const db = {} as Kysely<unknown>; // never reached: identifiers are checked first
  it.each([
    ["table", { table: "customers; DROP TABLE x", subjectColumn: "id" }],
    ["subject column", { table: "customers", subjectColumn: 'id" OR 1=1 --' }],
  ])("refuses a %s that is not a plain identifier", async (what, names) => {
    const error = await scrubSubjectRows(db, { ...names, subjectId: "s", mode: "delete" }).catch((caught: unknown) => caught);
    expect(isStrataError(error, "INVALID_ARGUMENT")).toBe(true);
    expect((error as Error).message).toContain(what);
  });

  it("refuses mark-erased without columns, or with a column that is not a plain identifier", async () => {
    const none = await scrubSubjectRows(db, { table: "rm.customers", subjectColumn: "id", subjectId: "s", mode: "mark-erased", piiColumns: [] }).catch((caught: unknown) => caught);
    expect(isStrataError(none, "INVALID_ARGUMENT")).toBe(true);
    const odd = await scrubSubjectRows(db, { table: "rm.customers", subjectColumn: "id", subjectId: "s", mode: "mark-erased", piiColumns: ["name = null, x"] }).catch((caught: unknown) => caught);
    expect(isStrataError(odd, "INVALID_ARGUMENT")).toBe(true);
  });
});
