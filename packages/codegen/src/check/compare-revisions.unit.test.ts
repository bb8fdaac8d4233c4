import { describe, expect, it } from "vitest";

import type { CatalogModel, EventTypeModel } from "../model/catalog-model.js";
import { compareRevisions } from "./compare-revisions.js";
import { closedObject, eventFixture } from "./testing/event-fixture.js";

function catalog(...events: EventTypeModel[]): CatalogModel {
  return {
    root: "/repo/schemas",
    contexts: [{ name: "shop", config: { package: "@x/shop-events", directory: "packages/shop-events", compatibility: "BACKWARD" }, events }],
  };
}

const v1 = closedObject({ id: { type: "string" }, total: { type: "integer", minimum: 0 } });
const v1Edited = closedObject({ id: { type: "string" }, total: { type: "integer", minimum: 1 } });
const v2 = closedObject({ id: { type: "string" }, total: { type: "number", minimum: 0 } });

describe("compareRevisions", () => {
  it("lists added versions without problems", () => {
    const result = compareRevisions("main", catalog(eventFixture("Paid", [v1], { released: [1] })), catalog(eventFixture("Paid", [v1, v2], { released: [1] })));
    expect(result.events).toEqual([{ event: "shop/Paid", versions: [{ version: 2, status: "added", released: false, changes: [] }] }]);
    expect(result.problems).toEqual([]);
  });

  it("reports an edit of an unreleased version with its changes, without failing", () => {
    const result = compareRevisions("main", catalog(eventFixture("Paid", [v1])), catalog(eventFixture("Paid", [v1Edited])));
    expect(result.events[0]?.versions[0]).toMatchObject({ version: 1, status: "edited", released: false });
    expect(result.events[0]?.versions[0]?.changes.map((c) => [c.kind, c.pointer])).toEqual([["constraint-tightened", "/total"]]);
    expect(result.problems).toEqual([]);
  });

  it("fails an edit of a released version, naming file and pointer", () => {
    const result = compareRevisions("main", catalog(eventFixture("Paid", [v1], { released: [1] })), catalog(eventFixture("Paid", [v1Edited], { released: [1] })));
    expect(result.problems).toEqual([
      expect.objectContaining({ code: "released-version-edited", event: "shop/Paid", file: "schemas/shop/Paid/v1.json", pointer: "/properties/total" }),
    ]);
    expect(result.problems[0]?.message).toContain("strata new-version shop/Paid");
  });

  it("fails the deletion of a released version", () => {
    const result = compareRevisions("main", catalog(eventFixture("Paid", [v1, v2], { released: [1, 2] })), catalog(eventFixture("Paid", [v1], { released: [1] })));
    expect(result.problems.map((p) => [p.code, p.file])).toEqual([["released-version-deleted", "schemas/shop/Paid/v2.json"]]);
  });
});
