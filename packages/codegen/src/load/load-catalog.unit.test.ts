import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogModel, EventTypeModel } from "../model/catalog-model.js";
import { REPO_SCHEMAS, contextConfig, eventSchema, sharedSchema, tempCatalog } from "../../test/fixtures/catalogs/write-catalog.js";
import { loadCatalog } from "./load-catalog.js";

describe("loadCatalog on the banking sample catalog", () => {
  let catalog: CatalogModel;
  const event = (name: string): EventTypeModel => {
    const found = catalog.contexts.flatMap((c) => c.events).find((e) => e.name === name);
    if (found === undefined) throw new Error(`no event ${name}`);
    return found;
  };
  beforeAll(async () => {
    catalog = await loadCatalog({ root: REPO_SCHEMAS });
  });

  it("lists the context with its config and its events sorted by name", () => {
    expect(catalog.root).toBe(REPO_SCHEMAS);
    expect(catalog.contexts.map((c) => c.name)).toEqual(["banking"]);
    expect(catalog.contexts[0]?.config).toEqual({ package: "@strata/banking-events", directory: "packages/banking-events", compatibility: "BACKWARD_TRANSITIVE" });
    const names = catalog.contexts[0]?.events.map((e) => e.name) ?? [];
    expect(names).toContain("MoneyDeposited");
    expect(names).toEqual([...names].sort());
    expect(names).not.toContain("_defs");
  });

  it("gives MoneyDeposited ordered versions, the first three released, with paths, hashes and the parsed schema", () => {
    const versions = event("MoneyDeposited").versions;
    // The sample catalog locks its released versions in schemas/strata.lock.json; later ones
    // (bounded amounts) wait for the next release.
    expect(versions.map((v) => [v.version, v.file])).toEqual(versions.map((_, i) => [i + 1, `banking/MoneyDeposited/v${i + 1}.json`]));
    expect(versions.slice(0, 3).map((v) => v.released)).toEqual([true, true, true]);
    for (const v of versions) expect(v.hash).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(new Set(versions.map((v) => v.hash)).size).toBe(versions.length);
    expect(versions[1]?.schema["properties"]).toMatchObject({ currency: { $ref: "../_defs/money.json#/$defs/currency", default: "EUR" } });
  });

  it("inlines $ref to ../_defs/money.json, keeping siblings on an allOf wrapper", () => {
    const [, v2, v3] = event("MoneyDeposited").versions;
    const currency = { type: "string", enum: ["EUR", "USD", "GBP", "CHF"] };
    expect(v2?.resolved["properties"]).toMatchObject({ currency: { allOf: [currency], default: "EUR" } });
    expect(v3?.resolved["properties"]).toMatchObject({
      money: { title: "Money", type: "object", properties: { amountMinor: { type: "integer" }, currency }, required: ["amountMinor", "currency"] },
    });
    const money = (v3?.resolved["properties"] as Record<string, Record<string, unknown>>)["money"];
    expect(money).not.toHaveProperty("$id");
    expect(money).not.toHaveProperty("$defs");
    expect(money).not.toHaveProperty("$schema");
    expect(JSON.stringify(v3?.resolved)).not.toContain("$ref");
    expect(v3?.resolved["$id"]).toBe("https://strata.dev/schemas/banking/MoneyDeposited/v3.json");
  });

  it("maps personal data to its subject", () => {
    expect(event("CustomerRegistered").versions[0]?.pii).toEqual([
      { path: "/address", subject: "/customerId" },
      { path: "/email", subject: "/customerId" },
      { path: "/name", subject: "/customerId" },
    ]);
    expect(event("TransferInitiated").versions[0]?.pii).toEqual([
      { path: "/payeeName", subject: "/toCustomerId" },
      { path: "/payerName", subject: "/fromCustomerId" },
    ]);
    expect(event("AccountOpened").versions[0]?.pii).toEqual([]);
  });

  it("returns a frozen model", () => {
    const v1 = event("MoneyDeposited").versions[0];
    expect(Object.isFrozen(v1?.resolved)).toBe(true);
    expect(Object.isFrozen(catalog.contexts)).toBe(true);
  });
});

describe("loadCatalog resolution details", () => {
  const temp: { cleanup(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(temp.map((t) => t.cleanup()));
  });

  it("resolves nested refs relative to the target document, and ignores hidden files and notes", async () => {
    const catalog = await tempCatalog({
      "README.md": "notes",
      ".gitkeep": "",
      "sales/context.json": contextConfig("sales"),
      "sales/_defs/address.json": sharedSchema("sales", "address.json", {
        type: "object",
        properties: { country: { $ref: "#/$defs/country" }, city: { $ref: "common.json#/$defs/text" } },
        $defs: { country: { type: "string", pattern: "^[A-Z]{2}$" } },
      }),
      "sales/_defs/common.json": sharedSchema("sales", "common.json", { $defs: { text: { type: "string", minLength: 1 } } }),
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, {
        properties: {
          id: { type: "string" },
          ship: { $ref: "../_defs/address.json", description: "where to", allOf: [{ required: ["country"] }] },
          bill: { $ref: "https://example.test/schemas/sales/_defs/address.json" },
          local: { $ref: "#/$defs/local" },
        },
        $defs: { local: { type: "integer" } },
      }),
    });
    temp.push(catalog);
    const model = await loadCatalog({ root: catalog.root });
    const resolved = model.contexts[0]?.events[0]?.versions[0]?.resolved;
    const address = {
      type: "object",
      properties: { country: { type: "string", pattern: "^[A-Z]{2}$" }, city: { type: "string", minLength: 1 } },
    };
    // The content-model rule: a composed object closes once at the top, a plain one by itself.
    expect(resolved?.["properties"]).toEqual({
      id: { type: "string" },
      ship: { allOf: [address, { required: ["country"] }], description: "where to", unevaluatedProperties: false },
      bill: { ...address, additionalProperties: false },
      local: { type: "integer" },
    });
    expect(resolved).not.toHaveProperty("$defs");
  });

  it("resolves $anchor fragments in the same file and in shared files, and drops $anchor from the output", async () => {
    const catalog = await tempCatalog({
      "sales/context.json": contextConfig("sales"),
      "sales/_defs/codes.json": sharedSchema("sales", "codes.json", { $defs: { country: { $anchor: "country", type: "string", pattern: "^[A-Z]{2}$" } } }),
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, {
        properties: { id: { $ref: "#orderId" }, country: { $ref: "../_defs/codes.json#country" } },
        $defs: { id: { $anchor: "orderId", type: "string", format: "uuid" } },
      }),
    });
    temp.push(catalog);
    const model = await loadCatalog({ root: catalog.root });
    expect(model.contexts[0]?.events[0]?.versions[0]?.resolved["properties"]).toEqual({
      id: { type: "string", format: "uuid" },
      country: { type: "string", pattern: "^[A-Z]{2}$" },
    });
  });
});
