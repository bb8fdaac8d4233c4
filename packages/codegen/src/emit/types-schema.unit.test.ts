import { describe, expect, it } from "vitest";

import { schemaForTypes } from "./types-schema.js";

describe("schemaForTypes", () => {
  it("keeps only the root title, so nested types are inlined instead of declared", () => {
    const result = schemaForTypes(
      {
        title: "MoneyDeposited",
        $id: "https://x/v1.json",
        type: "object",
        properties: { money: { title: "Money", $id: "https://x/money.json", type: "object", "x-pii": true } },
        $defs: { unused: { type: "string" } },
      },
      "MoneyDepositedV1",
    );
    expect(result).toEqual({ title: "MoneyDepositedV1", type: "object", properties: { money: { type: "object" } } });
  });

  it("turns prefixItems into a draft-04 tuple, open or closed as the schema says", () => {
    const open = schemaForTypes({ type: "array", prefixItems: [{ type: "string" }] }, "T");
    expect(open).toMatchObject({ items: [{ type: "string" }], additionalItems: true });
    const closed = schemaForTypes({ type: "array", prefixItems: [{ type: "string" }], items: false }, "T");
    expect(closed).toMatchObject({ items: [{ type: "string" }], additionalItems: false });
  });

  it("does not mistake a property named like a keyword for one", () => {
    const result = schemaForTypes({ type: "object", properties: { title: { type: "string", title: "Title" } } }, "T");
    expect(result["properties"]).toEqual({ title: { type: "string" } });
  });

  it("merges a lone allOf with sibling annotations (an inlined $ref) into its target", () => {
    const result = schemaForTypes(
      { type: "object", properties: { currency: { allOf: [{ type: "string", enum: ["EUR"], title: "Currency" }], default: "EUR", description: "ISO code" } } },
      "T",
    );
    expect(result["properties"]).toEqual({ currency: { type: "string", enum: ["EUR"], default: "EUR", description: "ISO code" } });
    const constrained = schemaForTypes({ allOf: [{ type: "string" }], minLength: 1 }, "T");
    expect(constrained["allOf"]).toEqual([{ type: "string" }]);
  });
});
