import { describe, expect, it } from "vitest";

import type { EventTypeModel, JsonSchemaObject, PiiField } from "../model/catalog-model.js";
import { createEmitProject } from "./emit-project.js";
import { emitTypesFile } from "./emit-types-file.js";

function event(schemas: JsonSchemaObject[], pii: readonly PiiField[] = []): EventTypeModel {
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
      pii,
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
    expect(content.match(/^export (interface|type) \w+/gm)).toEqual([
      "export interface OrderPlacedV1",
      "export type OrderPlacedV1Read",
      "export interface OrderPlacedV2",
      "export type OrderPlacedV2Read",
    ]);
    // Without personal data the read type is the written one, and nothing is imported.
    expect(content).toContain("export type OrderPlacedV2Read = OrderPlacedV2;");
    expect(content).not.toContain("import");
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

  it("declares the read type with `T | Erased` at exactly the personal-data fields", async () => {
    const { content } = await emitTypesFile(
      createEmitProject(),
      event(
        [
          {
            type: "object",
            properties: {
              customerId: { type: "string" },
              name: { type: "string" },
              parties: { type: "array", items: { type: "object", properties: { email: { type: "string" } }, required: ["email"] } },
            },
            required: ["customerId", "name"],
            additionalProperties: false,
          },
        ],
        [
          { path: "/name", subject: "/customerId" },
          { path: "/parties/*/email", subject: "/customerId" },
        ],
      ),
      (file) => `schemas/${file}`,
    );
    expect(content).toContain('import type { Erased } from "@strata/runtime";');
    const readType = content.slice(content.indexOf("export interface OrderPlacedV1Read"));
    expect(readType).toContain("customerId: string;");
    expect(readType).toContain("name: (string | Erased);");
    expect(readType).toContain("email: (string | Erased);");
    // The written type is untouched, and a `*/` in a listed path does not end the doc comment.
    expect(content.slice(0, content.indexOf("export interface OrderPlacedV1Read"))).not.toContain("Erased;");
    expect(content).toContain("`/parties/*\\/email`");
  });
});
