/**
 * Test support: an event type whose every step is derivable, exercising each mechanical bridge
 * (optional and defaulted additions, a rename, a widening, a removal, an enum widening, nested
 * objects and array items).
 */
import { closedObject, eventFixture } from "../../check/testing/event-fixture.js";
import type { EventTypeModel, JsonSchemaObject } from "../../model/catalog-model.js";

const id = { type: "string", format: "uuid" };
const line = (extra: Record<string, JsonSchemaObject> = {}): JsonSchemaObject => ({ type: "array", items: closedObject({ sku: { type: "string", minLength: 1, maxLength: 8 }, ...extra }, ["sku", ...Object.keys(extra).filter((k) => k === "qty")]), maxItems: 3 });

/** `OrderPlaced` v1 → v5, all steps derived. */
export function derivedEvolution(): EventTypeModel {
  const v1 = closedObject({ orderId: id, total: { type: "integer", minimum: 0 }, channel: { enum: ["web", "shop"] }, nick: { type: "string", maxLength: 10 }, lines: line() }, ["orderId", "total", "channel", "lines"]);
  const v2 = closedObject(
    { orderId: id, total: { type: "integer", minimum: 0 }, channel: { enum: ["web", "shop"] }, nick: { type: "string", maxLength: 10 }, lines: line({ qty: { type: "integer", minimum: 1, default: 1 } }), currency: { type: "string", enum: ["EUR", "USD"], default: "EUR" }, note: { type: "string" } },
    ["orderId", "total", "channel", "lines", "currency"],
  );
  const v3 = closedObject(
    { orderId: id, total: { type: "number", minimum: 0 }, channel: { enum: ["web", "shop", "phone"] }, alias: { type: "string", maxLength: 10, "x-renamed-from": "nick" }, lines: line({ qty: { type: "integer", minimum: 1, default: 1 } }), currency: { type: "string", enum: ["EUR", "USD"] }, note: { type: "string" } },
    ["orderId", "total", "channel", "lines", "currency"],
  );
  const v4 = closedObject(
    { orderId: id, total: { type: "number", minimum: 0 }, channel: { enum: ["web", "shop", "phone"] }, alias: { type: "string", maxLength: 20 }, lines: line({ qty: { type: "integer", minimum: 1, default: 1 } }), currency: { type: "string", enum: ["EUR", "USD"] }, meta: closedObject({ gift: { type: "boolean", default: false } }) },
    ["orderId", "total", "channel", "lines", "currency"],
  );
  const v5 = closedObject(
    { orderId: id, total: { type: ["number", "null"], minimum: 0 }, channel: { enum: ["web", "shop", "phone"] }, alias: { type: "string", maxLength: 20 }, lines: line({ qty: { type: "integer", minimum: 1, default: 1 } }), currency: { type: "string", enum: ["EUR", "USD"] }, meta: closedObject({ gift: { type: "boolean", default: false }, wrap: { type: "string", default: "none" } }), placedBy: { type: "string", default: "unknown" } },
    ["orderId", "total", "channel", "lines", "currency", "placedBy"],
  );
  return eventFixture("OrderPlaced", [v1, v2, v3, v4, v5]);
}
