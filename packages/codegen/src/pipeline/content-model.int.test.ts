/**
 * The catalog content-model rule end to end: a catalog whose objects never say
 * `additionalProperties` is generated with the real stages, and the generated types, the
 * generated validators and an independent JSON Schema validator (@cfworker/json-schema; Ajv 8
 * misjudges unevaluatedProperties beside allOf and if/then/else) reading the loaded model all
 * agree on which names an event may carry — declared ones (from every branch of a composition)
 * yes, undeclared ones no — while a schema that opens itself stays open everywhere.
 */
import { mkdir, realpath, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { Validator } from "@cfworker/json-schema";
import type { Schema } from "@cfworker/json-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { contextConfig, eventSchema, sharedSchema, tempCatalog } from "../../test/fixtures/catalogs/write-catalog.js";
import type { TempCatalog } from "../../test/fixtures/catalogs/write-catalog.js";
import { loadCatalog } from "../load/load-catalog.js";
import type { JsonSchemaObject } from "../model/catalog-model.js";
import { runCodegen } from "./run-codegen.js";
import { typeCheck } from "./testing/typecheck.js";

const REPO = path.resolve(import.meta.dirname, "../../../..");
const PKG = "packages/shop-events";

let catalog: TempCatalog;
let repo: string;
let shop: Record<string, { safeParse(data: unknown): { success: boolean } }>;
const resolved = new Map<string, JsonSchemaObject>();

const address = { type: "object", properties: { street: { type: "string" }, city: { type: "string" } }, required: ["street"] };

beforeAll(async () => {
  catalog = await tempCatalog({
    "shop/context.json": { ...contextConfig("shop"), directory: PKG },
    "shop/_defs/address.json": sharedSchema("shop", "address.json", address),
    // Nothing here says additionalProperties: every object is closed by the rule.
    "shop/OrderPlaced/v1.json": eventSchema("shop", "OrderPlaced", 1, {
      properties: {
        id: { type: "string" },
        shipTo: { $ref: "../_defs/address.json", description: "where it goes" },
        billTo: { $ref: "../_defs/address.json", properties: { vatId: { type: "string" } } },
        lines: { type: "array", items: { type: "object", properties: { sku: { type: "string" }, qty: { type: "integer" } } } },
        tags: { type: "object", additionalProperties: { type: "string" } },
      },
      additionalProperties: undefined,
    }),
    // A composed event: names from the base, from the branch that applies, from `then`.
    "shop/PaymentTaken/v1.json": eventSchema("shop", "PaymentTaken", 1, {
      $ref: "../_defs/address.json",
      properties: { id: { type: "string" }, method: { enum: ["card", "cash"] } },
      required: ["id", "method"],
      if: { properties: { method: { const: "card" } } },
      then: { properties: { last4: { type: "string" } }, required: ["last4"] },
      else: { properties: { till: { type: "integer" } } },
      additionalProperties: undefined,
    }),
  });
  repo = path.dirname(catalog.root);
  const modules = path.join(repo, "node_modules");
  await mkdir(path.join(modules, "@strata"), { recursive: true });
  await symlink(path.join(REPO, "packages/runtime"), path.join(modules, "@strata/runtime"), "dir");
  await symlink(await realpath(path.dirname(createRequire(import.meta.url).resolve("zod/package.json"))), path.join(modules, "zod"), "dir");
  await runCodegen({ repoRoot: repo });
  shop = (await import(pathToFileURL(path.join(repo, PKG, "src/generated/index.gen.ts")).href)) as typeof shop;
  for (const event of (await loadCatalog({ root: catalog.root })).contexts[0]?.events ?? []) resolved.set(event.name, event.versions[0]?.resolved ?? {});
}, 120_000);

afterAll(async () => {
  await catalog.cleanup();
});

const order = { id: "o1", shipTo: { street: "Main 1" }, billTo: { street: "Main 1", vatId: "DE1" }, lines: [{ sku: "a", qty: 1 }], tags: { gift: "yes" } };
const payment = { id: "p1", method: "card", last4: "4242", street: "Main 1" };

/** Validity of `data` as the generated zod validator and as a JSON Schema validator reading the loaded model see it; they must agree. */
function verdict(event: "OrderPlaced" | "PaymentTaken", data: unknown): boolean {
  const name = `${event[0]?.toLowerCase() ?? ""}${event.slice(1)}V1Schema`;
  const zod = shop[name]?.safeParse(data).success;
  expect(zod).toBe(new Validator(structuredClone(resolved.get(event) ?? false) as Schema | boolean, "2020-12", false).validate(data).valid);
  return zod ?? false;
}

describe("event objects are closed unless the schema opens them", () => {
  it("validators accept every declared name, including those of $ref targets, branches and then/else", () => {
    expect(verdict("OrderPlaced", order)).toBe(true);
    expect(verdict("PaymentTaken", payment)).toBe(true);
    expect(verdict("PaymentTaken", { id: "p1", method: "cash", till: 3, street: "x", city: "y" })).toBe(true);
  });

  it("validators refuse undeclared names at every level, and names of a branch that does not apply", () => {
    expect(verdict("OrderPlaced", { ...order, note: "x" })).toBe(false);
    expect(verdict("OrderPlaced", { ...order, shipTo: { street: "x", zip: "1" } })).toBe(false);
    expect(verdict("OrderPlaced", { ...order, billTo: { street: "x", zip: "1" } })).toBe(false);
    expect(verdict("OrderPlaced", { ...order, lines: [{ sku: "a", price: 1 }] })).toBe(false);
    expect(verdict("PaymentTaken", { ...payment, note: "x" })).toBe(false);
    expect(verdict("PaymentTaken", { ...payment, till: 3 })).toBe(false);
  });

  it("a schema that opens itself stays open", () => {
    expect(verdict("OrderPlaced", { ...order, tags: { anything: "goes" } })).toBe(true);
  });

  it("types accept the declared names and refuse undeclared ones, as the validators do", async () => {
    const consumer = path.join(repo, PKG, "src/consumer.ts");
    await writeFile(
      consumer,
      [
        'import type { OrderPlacedV1 } from "./generated/order-placed.types.gen.js";',
        'import type { PaymentTakenV1 } from "./generated/payment-taken.types.gen.js";',
        `export const order: OrderPlacedV1 = ${JSON.stringify(order)};`,
        `export const payment: PaymentTakenV1 = ${JSON.stringify(payment)};`,
        `export const cash: PaymentTakenV1 = { id: "p2", method: "cash", till: 3, street: "x" };`,
        "// @ts-expect-error undeclared at the root",
        `export const extra: OrderPlacedV1 = { ...${JSON.stringify(order)}, note: "x" };`,
        "// @ts-expect-error undeclared in an inlined $ref target",
        `export const nested: OrderPlacedV1 = { id: "o", shipTo: { street: "x", zip: "1" } };`,
        "// @ts-expect-error undeclared in a composed object",
        `export const composed: PaymentTakenV1 = { id: "p", method: "cash", street: "x", note: 1 };`,
        `export const open: OrderPlacedV1 = { id: "o", tags: { anything: "goes" } };`,
      ].join("\n"),
    );
    expect(typeCheck([consumer])).toEqual([]);
  }, 120_000);
});
