/**
 * Writes a synthetic schema catalog for the codegen benchmark: `contexts × eventsPerContext`
 * event types with three versions each, shaped like real events — 6 to 12 properties, nested
 * objects, enums, arrays, a `$ref` into shared definitions, personal data bound to a subject,
 * a field added with a default (v2) and an optional field added later (v3).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

const DIALECT = "https://json-schema.org/draft/2020-12/schema";
const BASE = "https://bench.strata.dev/schemas";

type Schema = Record<string, unknown>;

function extraProperty(index: number): [string, Schema] {
  const kinds: [string, Schema][] = [
    ["reference", { type: "string", maxLength: 140 }],
    ["quantity", { type: "integer", minimum: 0, maximum: 10_000 }],
    ["channel", { type: "string", enum: ["web", "mobile", "branch", "api"] }],
    ["tags", { type: "array", items: { type: "string", minLength: 1 }, maxItems: 20 }],
    ["occurredAt", { type: "string", format: "date-time" }],
    ["rate", { type: "number", exclusiveMinimum: 0 }],
    ["flagged", { type: "boolean" }],
  ];
  return kinds[index % kinds.length] as [string, Schema];
}

function versionSchema(context: string, name: string, version: number, seed: number): Schema {
  const properties: Schema = {
    id: { type: "string", format: "uuid" },
    customerId: { type: "string", format: "uuid", "x-data-subject": true },
    email: { type: "string", format: "email", "x-pii": true },
    amount: { $ref: "../_defs/common.json#/$defs/money" },
    status: { type: "string", enum: ["pending", "active", "done", "cancelled"] },
    address: {
      type: "object",
      properties: {
        street: { type: "string", minLength: 1 },
        city: { type: "string", minLength: 1 },
        country: { type: "string", pattern: "^[A-Z]{2}$" },
      },
      required: ["street", "city", "country"],
      additionalProperties: false,
    },
  };
  const required = ["id", "customerId", "email", "amount", "status"];
  for (let extra = 0; extra < seed % 7; extra += 1) {
    const [key, schema] = extraProperty(seed + extra);
    properties[key] = schema;
  }
  if (version >= 2) {
    properties["priority"] = { type: "string", enum: ["low", "normal", "high"], default: "normal" };
    required.push("priority");
  }
  if (version >= 3) properties["note"] = { type: "string", maxLength: 500 };
  return {
    $schema: DIALECT,
    $id: `${BASE}/${context}/${name}/v${version}.json`,
    title: name,
    description: `Synthetic event ${name}, version ${version}.`,
    type: "object",
    properties,
    required,
    additionalProperties: false,
  };
}

const COMMON = {
  $schema: DIALECT,
  $id: "",
  title: "Common",
  $defs: {
    money: {
      type: "object",
      properties: {
        amountMinor: { type: "integer", minimum: 1 },
        currency: { type: "string", enum: ["EUR", "USD", "GBP", "CHF"] },
      },
      required: ["amountMinor", "currency"],
      additionalProperties: false,
    },
  },
};

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes the catalog under `<repoRoot>/schemas` and returns the number of event types. */
export async function writeSyntheticCatalog(repoRoot: string, contexts: number, eventsPerContext: number): Promise<number> {
  for (let c = 0; c < contexts; c += 1) {
    const context = `bench${c + 1}`;
    const dir = path.join(repoRoot, "schemas", context);
    await writeJson(path.join(dir, "context.json"), {
      package: `@bench/${context}-events`,
      directory: `packages/${context}-events`,
      compatibility: "BACKWARD",
    });
    await writeJson(path.join(dir, "_defs/common.json"), { ...COMMON, $id: `${BASE}/${context}/_defs/common.json` });
    for (let e = 0; e < eventsPerContext; e += 1) {
      const name = `Bench${c + 1}Thing${String(e + 1).padStart(3, "0")}Happened`;
      for (let version = 1; version <= 3; version += 1) {
        await writeJson(path.join(dir, name, `v${version}.json`), versionSchema(context, name, version, c * eventsPerContext + e));
      }
    }
  }
  return contexts * eventsPerContext;
}
