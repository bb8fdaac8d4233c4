import { afterEach, describe, expect, it } from "vitest";
import { isCatalogError, type CatalogProblem } from "../errors.js";
import type { PiiField } from "../model/catalog-model.js";
import { contextConfig, eventSchema, sharedSchema, tempCatalog, type FixtureFiles, type TempCatalog } from "../../test/fixtures/catalogs/write-catalog.js";
import { loadCatalog } from "./load-catalog.js";

const created: TempCatalog[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((c) => c.cleanup()));
});

const subjectId = { type: "string", format: "uuid", "x-data-subject": true };
const pii = { type: "string", "x-pii": true };

async function load(body: Record<string, unknown>, extra: FixtureFiles = {}): Promise<readonly PiiField[] | readonly CatalogProblem[]> {
  const catalog = await tempCatalog({ "crm/context.json": contextConfig("crm"), "crm/Met/v1.json": eventSchema("crm", "Met", 1, body), ...extra });
  created.push(catalog);
  try {
    const model = await loadCatalog({ root: catalog.root });
    return model.contexts[0]?.events[0]?.versions[0]?.pii ?? [];
  } catch (error) {
    if (isCatalogError(error)) return error.problems;
    throw error;
  }
}

describe("personal-data map", () => {
  it("binds fields in nested arrays of objects to the nearest subject, inner scopes first", async () => {
    expect(
      await load({
        properties: {
          ownerId: subjectId,
          note: pii,
          parties: {
            type: "array",
            items: {
              type: "object",
              properties: {
                customerId: subjectId,
                email: pii,
                phones: { type: "array", items: { type: "object", properties: { number: pii } } },
                tags: { type: "array", items: pii },
              },
            },
          },
          audit: { type: "object", properties: { by: pii } },
        },
      }),
    ).toEqual([
      { path: "/audit/by", subject: "/ownerId" },
      { path: "/note", subject: "/ownerId" },
      { path: "/parties/*/email", subject: "/parties/*/customerId" },
      { path: "/parties/*/phones/*/number", subject: "/parties/*/customerId" },
      { path: "/parties/*/tags/*", subject: "/parties/*/customerId" },
    ]);
  });

  it("resolves relative and absolute explicit subjects, normalised to absolute pointers", async () => {
    expect(
      await load({
        properties: {
          payerId: { type: "string" },
          lines: {
            type: "array",
            items: {
              type: "object",
              properties: {
                holderId: { type: "string" },
                holder: { type: "string", "x-pii": { subject: "1/holderId" } },
                payer: { type: "string", "x-pii": { subject: "3/payerId" } },
                other: { type: "string", "x-pii": { subject: "/lines/*/holderId" } },
              },
            },
          },
        },
      }),
    ).toEqual([
      { path: "/lines/*/holder", subject: "/lines/*/holderId" },
      { path: "/lines/*/other", subject: "/lines/*/holderId" },
      { path: "/lines/*/payer", subject: "/payerId" },
    ]);
  });

  it("finds pii and subjects inside inlined shared definitions and allOf branches", async () => {
    expect(
      await load(
        { properties: { person: { $ref: "../_defs/person.json", description: "who" }, extra: { allOf: [{ type: "string" }, { "x-pii": true }] } } },
        { "crm/_defs/person.json": sharedSchema("crm", "person.json", { type: "object", properties: { id: subjectId, name: pii } }) },
      ),
    ).toMatchObject([expect.objectContaining({ code: "pii-no-subject", pointer: "/properties/extra/allOf/1/x-pii" })]);
    expect(
      await load(
        { properties: { ownerId: subjectId, person: { $ref: "../_defs/person.json", description: "who" }, extra: { allOf: [{ type: "string" }, { "x-pii": true }] } } },
        { "crm/_defs/person.json": sharedSchema("crm", "person.json", { type: "object", properties: { id: subjectId, name: pii } }) },
      ),
    ).toEqual([
      { path: "/extra", subject: "/ownerId" },
      { path: "/person/name", subject: "/person/id" },
    ]);
  });

  it("finds pii and subjects in then, else and dependentSchemas, which describe the same data, but not in if", async () => {
    expect(
      await load({
        properties: { customerId: subjectId, kind: { enum: ["person", "company"] } },
        if: { properties: { kind: { const: "person" } } },
        then: { properties: { name: pii } },
        else: { properties: { contactId: { type: "string" }, contact: { type: "string", "x-pii": { subject: "/contactId" } } } },
        dependentSchemas: { customerId: { properties: { email: pii } } },
      }),
    ).toEqual([
      { path: "/contact", subject: "/contactId" },
      { path: "/email", subject: "/customerId" },
      { path: "/name", subject: "/customerId" },
    ]);
    const problems = (await load({ properties: { customerId: subjectId }, if: { properties: { name: pii } } })) as readonly CatalogProblem[];
    expect(problems.map((p) => [p.code, p.pointer])).toEqual([["pii-unsupported-location", "/if/properties/name"]]);
  });

  it("refuses ambiguous, missing, non-string and misplaced subjects", async () => {
    const problems = (await load({
      properties: {
        a: subjectId,
        b: subjectId,
        name: pii,
        count: { type: "integer", "x-data-subject": true },
        holder: { type: "string", "x-pii": { subject: "/count" } },
        far: { type: "string", "x-pii": { subject: "5/x" } },
        self: { type: "string", "x-pii": { subject: "0" } },
        items: { type: "array", items: { type: "object", properties: { id: { type: "string" } } } },
        cross: { type: "string", "x-pii": { subject: "/items/*/id" } },
        map: { type: "object", additionalProperties: pii },
      },
    })) as readonly CatalogProblem[];
    expect(problems.map((p) => [p.code, p.pointer])).toEqual([
      ["pii-subject-not-string", "/properties/count/x-data-subject"],
      ["pii-subject-invalid", "/properties/cross/x-pii/subject"],
      ["pii-subject-invalid", "/properties/far/x-pii/subject"],
      ["pii-subject-not-string", "/properties/holder/x-pii/subject"],
      ["pii-unsupported-location", "/properties/map/additionalProperties"],
      ["pii-subject-ambiguous", "/properties/name/x-pii"],
      ["pii-subject-invalid", "/properties/self/x-pii/subject"],
    ]);
    for (const p of problems) expect(p.file).toBe("schemas/crm/Met/v1.json");
  });

  it("refuses x-pii without any subject in the event", async () => {
    const problems = (await load({ properties: { name: pii } })) as readonly CatalogProblem[];
    expect(problems).toEqual([expect.objectContaining({ code: "pii-no-subject", file: "schemas/crm/Met/v1.json", pointer: "/properties/name/x-pii" })]);
  });

  it("refuses a property named * on the path of a personal-data field or of a subject, where it would read as the array wildcard", async () => {
    const problems = (await load({
      properties: {
        ownerId: subjectId,
        byKey: { type: "object", properties: { "*": { type: "object", properties: { email: pii } } } },
        direct: { type: "object", properties: { "*": pii } },
        scoped: { type: "object", properties: { "*": { type: "object", properties: { id: subjectId, note: { type: "string" } } } } },
        branch: { allOf: [{ type: "object", properties: { "*": { type: "string" } } }] },
        viaPointer: { type: "string", "x-pii": { subject: "/branch/*" } },
      },
    })) as readonly CatalogProblem[];
    expect(problems.map((p) => [p.code, p.pointer])).toEqual([
      ["pii-star-property", "/properties/byKey/properties/*/properties/email/x-pii"],
      ["pii-star-property", "/properties/direct/properties/*/x-pii"],
      ["pii-star-property", "/properties/scoped/properties/*/properties/id/x-data-subject"],
      ["pii-star-property", "/properties/viaPointer/x-pii/subject"],
    ]);
    for (const p of problems) expect(p.message).toContain('"*"');
  });

  it("accepts a property named * away from personal data, and array wildcards on personal-data paths", async () => {
    expect(
      await load({
        properties: {
          ownerId: subjectId,
          labels: { type: "object", properties: { "*": { type: "string" } } },
          notes: { type: "array", items: pii },
          inside: { type: "object", "x-pii": true, properties: { "*": { type: "string" } } },
        },
      }),
    ).toEqual([
      { path: "/inside", subject: "/ownerId" },
      { path: "/notes/*", subject: "/ownerId" },
    ]);
  });
});

