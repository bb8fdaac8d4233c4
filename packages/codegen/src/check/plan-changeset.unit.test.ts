import { describe, expect, it } from "vitest";

import type { CatalogModel, EventTypeModel, JsonSchemaObject } from "../model/catalog-model.js";
import { planUpcasters } from "../upcasters/plan.js";
import type { CatalogCheckReport } from "./check-catalog.js";
import { checkCompatibility } from "./check-compatibility.js";
import { planChangesets } from "./plan-changeset.js";
import { closedObject, eventFixture } from "./testing/event-fixture.js";

function setup(...events: EventTypeModel[]): { catalog: CatalogModel; report: CatalogCheckReport } {
  const catalog: CatalogModel = {
    root: "/repo/schemas",
    contexts: [{ name: "shop", config: { package: "@acme/shop-events", directory: "packages/shop-events", compatibility: "BACKWARD" }, events }],
  };
  const results = events.map((event) => checkCompatibility(event, "BACKWARD", planUpcasters(event)));
  return { catalog, report: { ok: true, events: results, problems: [] } };
}

const open = (properties: Record<string, JsonSchemaObject>): JsonSchemaObject => ({ type: "object", properties, required: ["id"] });

describe("planChangesets", () => {
  it("is minor for versions that keep FORWARD compatibility", () => {
    const { catalog, report } = setup(eventFixture("Noted", [open({ id: { type: "string" } }), open({ id: { type: "string" }, note: { type: "string" } })], { released: [1] }));
    const [changeset] = planChangesets(catalog, report);
    expect(changeset?.bump).toBe("minor");
    expect(changeset?.content).toBe(
      '---\n"@acme/shop-events": minor\n---\n\nAdds the shop event schemas Noted v2, with upcasters that bring stored events to the latest version.\n',
    );
    expect(changeset?.fileName).toMatch(/^shop-events-schemas-[0-9a-f]{8}\.md$/);
  });

  it("is major when a new version breaks FORWARD compatibility", () => {
    const v1 = closedObject({ id: { type: "string" } });
    const v2 = closedObject({ id: { type: "string" }, note: { type: "string" } }, ["id"]);
    const { catalog, report } = setup(eventFixture("Noted", [v1, v2], { released: [1] }), eventFixture("Tagged", [v1]));
    const [changeset] = planChangesets(catalog, report);
    expect(changeset?.bump).toBe("major");
    expect(changeset?.content).toContain('"@acme/shop-events": major');
    expect(changeset?.content).toContain("Noted v2, which readers built against the previous release cannot read");
    expect(changeset?.content).toContain("Tagged (new event type)");
  });

  it("plans nothing when every version is released", () => {
    const { catalog, report } = setup(eventFixture("Noted", [open({ id: { type: "string" } })], { released: [1] }));
    expect(planChangesets(catalog, report)).toEqual([]);
  });
});
