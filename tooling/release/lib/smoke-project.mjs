// The files of the fresh project the smoke creates: a user's repository with one schema, the
// consumer code that type-checks against the published types and appends and reads an event on
// PGlite, and the tsconfig a strict user would have.
export const EVENTS_PACKAGE = "@acme/shop-events";
export const EVENTS_DIRECTORY = "packages/shop-events";
export const ORDER_ID = "0b8f6f52-3c6e-4c1c-9d53-6a1f3f1d2a10";
export const ACCOUNT_ID = "5f0c2c1e-8a4b-4f7e-9a37-0d8d6c9b7e21";
export const CUSTOMER_ID = "9d4f6a3b-1c2e-4f5a-8b7c-6d5e4f3a2b1c";

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** The consumer tsconfig: strict and NodeNext, with the usual skipLibCheck (see LIBCHECK_TSCONFIG). */
export const CONSUMER_TSCONFIG = json({
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2023"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    rootDir: "src",
    outDir: "dist",
  },
  include: ["src"],
});

/**
 * The consumer config again with skipLibCheck off: third-party .d.ts (PGlite's need Emscripten
 * and DOM types) report errors of their own, so the smoke keeps only errors inside Strata's
 * published .d.ts and the generated events package.
 */
export const LIBCHECK_TSCONFIG = json({ extends: "./tsconfig.json", compilerOptions: { skipLibCheck: false, noEmit: true } });

/** A standalone tsconfig for the generated events package (what the scaffold should write outside the monorepo). */
export const EVENTS_TSCONFIG = json({
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2023"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    declaration: true,
    noEmit: true,
  },
  include: ["src"],
});

/** The events package's build config, as in the Strata packages. */
export const EVENTS_BUILD_TSCONFIG = json({
  extends: "./tsconfig.json",
  compilerOptions: { noEmit: false, rootDir: "src", outDir: "dist", customConditions: [] },
  include: ["src"],
  exclude: ["src/**/*.test.ts", "src/**/*.test-d.ts"],
});

/** `schemas/…` files of the smoke's catalog, by repo-relative path. */
export const SCHEMA_FILES = {
  "schemas/shop/context.json": json({ package: EVENTS_PACKAGE, directory: EVENTS_DIRECTORY, compatibility: "BACKWARD_TRANSITIVE" }),
  "schemas/shop/OrderPlaced/v1.json": json({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://strata.dev/schemas/shop/OrderPlaced/v1.json",
    title: "OrderPlaced",
    description: "A customer placed an order.",
    type: "object",
    properties: {
      orderId: { type: "string", format: "uuid" },
      totalMinor: { type: "integer", minimum: 0 },
    },
    required: ["orderId", "totalMinor"],
    additionalProperties: false,
  }),
};

/** The consumer's entry: typed append and read through the generated package on PGlite. */
export const MAIN_SOURCE = `import { createEventStore } from "@strata/runtime";
import { shopRegistry } from "${EVENTS_PACKAGE}";
import type { ShopEvent } from "${EVENTS_PACKAGE}";

const store = await createEventStore({ registry: shopRegistry, database: { kind: "pglite" } });
try {
  await store.append("order-1", [{ type: "OrderPlaced", data: { orderId: "${ORDER_ID}", totalMinor: 1250 } }], { expectedVersion: "no_stream" });
  // Never called: it only has to fail to compile.
  const wrongShape = (): Promise<unknown> =>
    // @ts-expect-error a wrong event shape must not compile against the generated types
    store.append("order-1", [{ type: "OrderPlaced", data: { orderId: 7 } }]);
  void wrongShape;
  const handled = (event: ShopEvent): string => event.type;
  void handled;
  const read: { type: string; version: number; data: unknown }[] = [];
  for await (const event of store.readStream("order-1")) read.push({ type: event.type, version: event.version, data: event.data });
  console.log(JSON.stringify(read));
} finally {
  await store.close();
}
`;

/** What MAIN_SOURCE prints. */
export const MAIN_EXPECTED = [{ type: "OrderPlaced", version: 1, data: { orderId: ORDER_ID, totalMinor: 1250 } }];

/**
 * A second consumer of a published events package from the monorepo (@strata/banking-events),
 * through the published crypto-shredding path: the banking registry declares personal data, so
 * the store needs keys (a fixed KEK here, for this smoke test only). It prints the customer's
 * name as read back, decrypted.
 */
export const BANKING_SOURCE = `import { createEventStore, LocalKekProvider } from "@strata/runtime";
import { bankingRegistry } from "@strata/banking-events";

const kek = new LocalKekProvider({ keks: { v1: new Uint8Array(32).fill(7) }, current: "v1" });
const database = { kind: "pglite" } as const;
const store = await createEventStore({ registry: bankingRegistry, database, personalData: { kek } });
try {
  await store.append(
    "customer-1",
    [{ type: "CustomerRegistered", data: { customerId: "${CUSTOMER_ID}", name: "Ada Lovelace", email: "ada@example.com", address: { street: "1 Analytical Way", city: "London", postalCode: "N1", country: "GB" } } }],
    { expectedVersion: "no_stream" },
  );
  await store.append(
    "account-1",
    [{ type: "AccountOpened", data: { accountId: "${ACCOUNT_ID}", customerId: "${CUSTOMER_ID}", currency: "EUR", overdraftLimitMinor: 0 } }],
    { expectedVersion: "no_stream" },
  );
  const read: { type: string; version: number; name?: unknown }[] = [];
  for (const stream of ["customer-1", "account-1"]) {
    for await (const event of store.readStream(stream)) {
      read.push(event.type === "CustomerRegistered" ? { type: event.type, version: event.version, name: event.data.name } : { type: event.type, version: event.version });
    }
  }
  console.log(JSON.stringify(read));
} finally {
  await store.close();
}
`;

export const BANKING_EXPECTED = [
  { type: "CustomerRegistered", version: 1, name: "Ada Lovelace" },
  { type: "AccountOpened", version: 1 },
];
