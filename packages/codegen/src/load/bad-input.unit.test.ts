import { dirname } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CatalogError, isCatalogError, isStrataCodegenError, type CatalogProblem } from "../errors.js";
import { contextConfig, eventSchema, rawText, sharedSchema, snapshotTree, tempCatalog, type FixtureFiles, type TempCatalog } from "../../test/fixtures/catalogs/write-catalog.js";
import { loadCatalog } from "./load-catalog.js";

const created: TempCatalog[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((c) => c.cleanup()));
});

const sales = (files: FixtureFiles): FixtureFiles => ({ "sales/context.json": contextConfig("sales"), ...files });

/** Loads a catalog that must fail; asserts the typed error and that nothing was written. */
async function problemsOf(files: FixtureFiles): Promise<readonly CatalogProblem[]> {
  const catalog = await tempCatalog(files);
  created.push(catalog);
  const before = await snapshotTree(dirname(catalog.root));
  const error: unknown = await loadCatalog({ root: catalog.root }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(await snapshotTree(dirname(catalog.root))).toEqual(before);
  expect(error).toBeInstanceOf(CatalogError);
  expect(isStrataCodegenError(error)).toBe(true);
  if (!isCatalogError(error)) throw new Error("expected a CatalogError");
  expect(error.code).toBe("STRATA_CATALOG_INVALID");
  for (const p of error.problems) expect(error.message).toContain(`${p.file}#${p.pointer}: ${p.message}`);
  return error.problems;
}

const pick = (problems: readonly CatalogProblem[], code: string): CatalogProblem[] => problems.filter((p) => p.code === code);

describe("loadCatalog refuses bad input with a typed error naming file and pointer", () => {
  it("malformed JSON, with line and column", async () => {
    const problems = await problemsOf(sales({ "sales/Ordered/v1.json": rawText('{\n  "title": "Ordered",\n  "type": "object"\n  "properties": {}\n}\n') }));
    expect(problems).toEqual([
      expect.objectContaining({ code: "malformed-json", file: "schemas/sales/Ordered/v1.json", pointer: "" }),
    ]);
    expect(problems[0]?.message).toMatch(/line 4, column 3/);
  });

  it("unknown keyword, but not a property that happens to be named like one", async () => {
    const problems = await problemsOf(sales({
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, {
        properties: {
          $dynamicRef: { type: "string" },
          status: { type: "string", $dynamicRef: "#x", enum: [{ $dynamicRef: 1 }] },
          lines: { type: "array", items: { type: "object", definitions: {} } },
        },
      }),
    }));
    expect(problems.map((p) => [p.code, p.file, p.pointer])).toEqual([
      ["unknown-keyword", "schemas/sales/Ordered/v1.json", "/properties/lines/items"],
      ["unknown-keyword", "schemas/sales/Ordered/v1.json", "/properties/status"],
    ]);
    expect(problems[1]?.message).toBe("$dynamicRef at /properties/status is not supported; use $ref to a $defs entry");
  });

  it("an $anchor that the target file does not declare, or declares twice", async () => {
    const problems = await problemsOf(sales({
      "sales/_defs/codes.json": sharedSchema("sales", "codes.json", { $defs: { a: { $anchor: "code" }, b: { $anchor: "code" } } }),
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, {
        properties: { id: { $ref: "#nowhere" }, code: { $ref: "../_defs/codes.json#code" } },
      }),
    }));
    expect(problems.map((p) => [p.code, p.file, p.pointer, p.message])).toEqual([
      ["unresolved-ref", "schemas/sales/Ordered/v1.json", "/properties/id/$ref", '$ref "#nowhere": schemas/sales/Ordered/v1.json declares no "$anchor": "nowhere"'],
      ["duplicate-anchor", "schemas/sales/_defs/codes.json", "/$defs/b", '"$anchor": "code" is declared 2 times in this file (/$defs/a, /$defs/b); an anchor names one subschema'],
    ]);
  });

  it("unsupported format", async () => {
    const problems = await problemsOf(sales({
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, { properties: { host: { type: "string", format: "hostname" } } }),
    }));
    expect(problems).toEqual([expect.objectContaining({ code: "unsupported-format", pointer: "/properties/host" })]);
  });

  it("missing v1", async () => {
    const problems = await problemsOf(sales({ "sales/Ordered/v2.json": eventSchema("sales", "Ordered", 2) }));
    expect(problems).toEqual([expect.objectContaining({ code: "missing-version", file: "schemas/sales/Ordered", pointer: "" })]);
    expect(problems[0]?.message).toContain("v1.json");
  });

  it("skipped version", async () => {
    const problems = await problemsOf(sales({
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1),
      "sales/Ordered/v3.json": eventSchema("sales", "Ordered", 3),
      "sales/Ordered/v5.json": eventSchema("sales", "Ordered", 5),
    }));
    expect(problems.map((p) => [p.code, p.file, p.pointer, /skips (v\d)/.exec(p.message)?.[1]])).toEqual([
      ["skipped-version", "schemas/sales/Ordered", "", "v2"],
      ["skipped-version", "schemas/sales/Ordered", "", "v4"],
    ]);
  });

  it("non-object root", async () => {
    const problems = await problemsOf(sales({
      "sales/Ordered/v1.json": { ...eventSchema("sales", "Ordered", 1), type: "string", properties: undefined, required: undefined, additionalProperties: undefined },
    }));
    expect(problems).toEqual([expect.objectContaining({ code: "non-object-root", file: "schemas/sales/Ordered/v1.json", pointer: "" })]);
  });

  it("duplicate event type across contexts, compared case-insensitively, naming both folders", async () => {
    const problems = await problemsOf({
      ...sales({ "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1) }),
      "billing/context.json": contextConfig("billing"),
      "billing/ORDERED/v1.json": eventSchema("billing", "ORDERED", 1),
    });
    expect(problems).toEqual([expect.objectContaining({ code: "duplicate-event-type", file: "schemas/sales/Ordered", pointer: "" })]);
    expect(problems[0]?.message).toContain("schemas/billing/ORDERED");
  });

  it("$ref outside the catalog", async () => {
    const problems = await problemsOf(sales({
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, {
        properties: { a: { $ref: "https://elsewhere.test/money.json" }, b: { $ref: "../../../outside.json" } },
      }),
    }));
    expect(problems.map((p) => [p.code, p.file, p.pointer])).toEqual([
      ["ref-outside-catalog", "schemas/sales/Ordered/v1.json", "/properties/a/$ref"],
      ["ref-outside-catalog", "schemas/sales/Ordered/v1.json", "/properties/b/$ref"],
    ]);
  });

  it("$ref to a missing file, a missing pointer or an anchor", async () => {
    const problems = await problemsOf(sales({
      "sales/_defs/money.json": sharedSchema("sales", "money.json", { type: "integer" }),
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, {
        properties: {
          a: { $ref: "../_defs/mony.json" },
          b: { $ref: "../_defs/money.json#/$defs/nope" },
          c: { $ref: "#currency" },
          d: { $ref: "../_defs/money.json" },
        },
      }),
    }));
    expect(problems.map((p) => [p.code, p.pointer])).toEqual([
      ["unresolved-ref", "/properties/a/$ref"],
      ["unresolved-ref", "/properties/b/$ref"],
      ["unresolved-ref", "/properties/c/$ref"],
    ]);
  });

  it("circular $ref inside one file", async () => {
    const problems = await problemsOf(sales({
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, {
        properties: { a: { $ref: "#/$defs/a" } },
        $defs: { a: { type: "object", properties: { b: { $ref: "#/$defs/b" } } }, b: { $ref: "#/$defs/a" } },
      }),
    }));
    expect(pick(problems, "circular-ref").map((p) => [p.file, p.pointer])).toEqual([["schemas/sales/Ordered/v1.json", "/$defs/b/$ref"]]);
    expect(problems).toHaveLength(1);
  });

  it("circular $ref through files", async () => {
    const problems = await problemsOf(sales({
      "sales/_defs/a.json": sharedSchema("sales", "a.json", { type: "object", properties: { b: { $ref: "b.json" } } }),
      "sales/_defs/b.json": sharedSchema("sales", "b.json", { type: "object", properties: { a: { $ref: "a.json" } } }),
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, { properties: { a: { $ref: "../_defs/a.json" } } }),
    }));
    expect(problems.map((p) => p.code)).toEqual(["circular-ref"]);
    expect(problems[0]).toMatchObject({ file: "schemas/sales/_defs/b.json", pointer: "/properties/a/$ref" });
    expect(problems[0]?.message).toContain("circular $ref: schemas/sales/_defs/a.json# → schemas/sales/_defs/b.json# → schemas/sales/_defs/a.json#");
  });

  it("x-pii subject pointer to a missing field", async () => {
    const problems = await problemsOf(sales({
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, {
        properties: { customerId: { type: "string" }, name: { type: "string", "x-pii": { subject: "/customerID" } } },
      }),
    }));
    expect(problems).toEqual([
      expect.objectContaining({ code: "pii-subject-missing", file: "schemas/sales/Ordered/v1.json", pointer: "/properties/name/x-pii/subject" }),
    ]);
  });

  it("$id, title, dialect and vendor-keyword shape", async () => {
    const problems = await problemsOf(sales({
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, {
        $id: `https://example.test/schemas/sales/Other/v1.json`,
        $schema: "http://json-schema.org/draft-07/schema#",
        title: "Order",
        properties: { id: { type: "string", "x-pii": 5, "x-renamed-from": "" } },
      }),
    }));
    expect(problems.map((p) => [p.code, p.pointer])).toEqual([
      ["id-mismatch", "/$id"],
      ["unsupported-dialect", "/$schema"],
      ["invalid-schema", "/properties/id/x-pii"],
      ["invalid-schema", "/properties/id/x-renamed-from"],
      ["title-mismatch", "/title"],
    ]);
  });

  it("embedded resources, a second base URI and regexes that do not compile", async () => {
    const problems = await problemsOf(sales({
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, {
        properties: { a: { $id: "https://example.test/schemas/sales/x.json", type: "string", pattern: "([a-z]" } },
        patternProperties: { "[": { type: "string" } },
      }),
      "sales/Shipped/v1.json": { ...eventSchema("sales", "Shipped", 1), $id: "https://other.test/cat/sales/Shipped/v1.json" },
    }));
    expect(problems.map((p) => [p.code, p.file, p.pointer])).toEqual([
      ["nested-resource", "schemas/sales/Ordered/v1.json", "/properties/a/$id"],
      ["invalid-schema", "schemas/sales/Ordered/v1.json", "/properties/a/pattern"],
      ["invalid-schema", "schemas/sales/Ordered/v1.json", "/patternProperties"],
      ["base-uri-mismatch", "schemas/sales/Shipped/v1.json", "/$id"],
    ].sort((a, b) => (a[1]! + a[2]! < b[1]! + b[2]! ? -1 : 1)));
  });

  it("catalog layout: stray files, bad names, missing or invalid context.json", async () => {
    const problems = await problemsOf({
      "notes.txt": rawText("hello"),
      "Sales/context.json": contextConfig("sales"),
      "ops/Stuff/readme.txt": rawText(""),
      "ops/Stuff/v01.json": eventSchema("ops", "Stuff", 1),
      "ops/lower/v1.json": eventSchema("ops", "lower", 1),
      "ops/Stuff/v1.json": eventSchema("ops", "Stuff", 1),
      "billing/context.json": { package: "Not A Name", directory: "/abs", compatibility: "SOMETIMES" },
    });
    expect(problems.map((p) => [p.code, p.file, p.pointer])).toEqual([
      ["invalid-context-config", "schemas/billing/context.json", "/compatibility"],
      ["invalid-context-config", "schemas/billing/context.json", "/directory"],
      ["invalid-context-config", "schemas/billing/context.json", "/package"],
      ["unexpected-entry", "schemas/notes.txt", ""],
      ["missing-context-config", "schemas/ops", ""],
      ["unexpected-entry", "schemas/ops/Stuff/readme.txt", ""],
      ["unexpected-entry", "schemas/ops/Stuff/v01.json", ""],
      ["unexpected-entry", "schemas/ops/lower", ""],
      ["unexpected-entry", "schemas/Sales", ""],
    ].sort((a, b) => (a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0)));
  });

  it("a missing catalog folder", async () => {
    const catalog = await tempCatalog({});
    created.push(catalog);
    const error: unknown = await loadCatalog({ root: `${catalog.root}-nope` }).catch((e: unknown) => e);
    expect(isCatalogError(error) && error.problems.map((p) => p.code)).toEqual(["catalog-not-found"]);
  });

  it("reports every problem of a catalog at once, across files", async () => {
    const problems = await problemsOf({
      ...sales({
        "sales/Broken/v1.json": rawText("{"),
        "sales/Keyword/v1.json": eventSchema("sales", "Keyword", 1, { properties: { a: { type: "string", $dynamicAnchor: "x" } } }),
        "sales/Gap/v2.json": eventSchema("sales", "Gap", 2),
        "sales/Scalar/v1.json": eventSchema("sales", "Scalar", 1, { type: "array", properties: undefined, required: undefined, additionalProperties: undefined }),
        "sales/Outside/v1.json": eventSchema("sales", "Outside", 1, { properties: { a: { $ref: "https://elsewhere.test/x.json" } } }),
        "sales/Loop/v1.json": eventSchema("sales", "Loop", 1, { properties: { a: { $ref: "#" } } }),
        "sales/Pii/v1.json": eventSchema("sales", "Pii", 1, { properties: { name: { type: "string", "x-pii": { subject: "/nobody" } } } }),
      }),
      "billing/context.json": contextConfig("billing"),
      "billing/Pii/v1.json": eventSchema("billing", "Pii", 1),
    });
    expect(new Set(problems.map((p) => `${p.code} ${p.file}`))).toEqual(
      new Set([
        "malformed-json schemas/sales/Broken/v1.json",
        "unknown-keyword schemas/sales/Keyword/v1.json",
        "missing-version schemas/sales/Gap",
        "non-object-root schemas/sales/Scalar/v1.json",
        "ref-outside-catalog schemas/sales/Outside/v1.json",
        "circular-ref schemas/sales/Loop/v1.json",
        "pii-subject-missing schemas/sales/Pii/v1.json",
        "duplicate-event-type schemas/sales/Pii",
      ]),
    );
  });
});
