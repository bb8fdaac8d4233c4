import { describe, expect, it } from "vitest";

import type { EventTypeModel, JsonSchemaObject } from "../model/catalog-model.js";
import { createEmitProject } from "./emit-project.js";
import { emitTypesFile } from "./emit-types-file.js";

function event(schemas: JsonSchemaObject[]): EventTypeModel {
  return {
    context: "shop",
    name: "OrderPlaced",
    versions: schemas.map((schema, index) => ({
      version: index + 1,
      file: `shop/OrderPlaced/v${index + 1}.json`,
      schema,
      resolved: schema,
      hash: "sha256-x",
      released: false,
      pii: [],
    })),
  };
}

const address = { title: "Address", type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };

describe("emitTypesFile", () => {
  it("declares exactly one type per version, inlining titled sub-schemas so versions never clash", async () => {
    const { content, fileName } = await emitTypesFile(
      createEmitProject(),
      event([
        { type: "object", properties: { shipTo: address }, required: ["shipTo"], additionalProperties: false },
        { type: "object", properties: { shipTo: address, billTo: address }, required: ["shipTo"], additionalProperties: false },
      ]),
      (file) => `schemas/${file}`,
    );
    expect(fileName).toBe("order-placed.types.gen.ts");
    expect(content.match(/^export (interface|type) \w+/gm)).toEqual(["export interface OrderPlacedV1", "export interface OrderPlacedV2"]);
    expect(content).toContain("billTo?: {\n    city: string;\n  };");
  });

  it("prints const, enum, tuples (prefixItems) and open objects", async () => {
    const { content } = await emitTypesFile(
      createEmitProject(),
      event([
        {
          type: "object",
          properties: {
            kind: { const: "order" },
            status: { enum: ["open", "closed"] },
            point: { type: "array", prefixItems: [{ type: "number" }, { type: "number" }], items: false },
            extra: { type: "object" },
          },
          required: ["kind", "status", "point", "extra"],
          additionalProperties: false,
        },
      ]),
      (file) => `schemas/${file}`,
    );
    expect(content).toContain('kind: "order";');
    expect(content).toContain('status: ("open" | "closed");');
    expect(content).toContain("point: [number, number];");
    expect(content).toContain("[k: string]: unknown;");
  });
});
