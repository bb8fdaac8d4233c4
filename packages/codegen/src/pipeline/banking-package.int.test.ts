/**
 * Generates the sample banking catalog (schemas/banking) with the real stages into a temporary
 * repository, type-checks the package and uses it: validators accept valid data and reject
 * invalid data with paths, classes round-trip, the registry carries personal-data maps and
 * upcasters.
 */
import { cp, mkdir, realpath, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { isStrataError } from "@strata/runtime";
import type { EventValidationError } from "@strata/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runCodegen } from "./run-codegen.js";
import { makeTempRepo, snapshotTree } from "./testing/temp-repo.js";
import { typeCheck } from "./testing/typecheck.js";

const REPO = path.resolve(import.meta.dirname, "../../../..");
const PKG = "packages/banking-events";

let root: string;
let remove: () => Promise<void>;
/** The generated package's index module, loaded at run time. */
let banking: Record<string, unknown>;

interface EventClass {
  new (data: unknown): { type: string; schemaVersion: number; data: unknown };
  parse(input: unknown): { type: string; schemaVersion: number; data: unknown };
  readonly type: string;
  readonly schemaVersion: number;
}

async function linkDependencies(repoRoot: string): Promise<void> {
  const modules = path.join(repoRoot, "node_modules");
  await mkdir(path.join(modules, "@strata"), { recursive: true });
  await symlink(path.join(REPO, "packages/runtime"), path.join(modules, "@strata/runtime"), "dir");
  const zodEntry = createRequire(import.meta.url).resolve("zod/package.json");
  await symlink(await realpath(path.dirname(zodEntry)), path.join(modules, "zod"), "dir");
}

beforeAll(async () => {
  ({ root, remove } = await makeTempRepo("strata-banking-"));
  await cp(path.join(REPO, "schemas"), path.join(root, "schemas"), { recursive: true });
  await linkDependencies(root);
  await runCodegen({ repoRoot: root });
  banking = (await import(pathToFileURL(path.join(root, PKG, "src/generated/index.gen.ts")).href)) as Record<string, unknown>;
}, 120_000);

afterAll(async () => {
  await remove();
});

const ACCOUNT = "0f8fad5b-d9cb-469f-a165-70867728950e";

function eventClass(name: string): EventClass {
  return banking[name] as EventClass;
}

describe("the generated banking package", () => {
  it("type-checks with the repository's strict settings", async () => {
    const files = [...(await snapshotTree(path.join(root, PKG, "src"))).keys()].map((file) => path.join(root, PKG, "src", file));
    expect(files.some((file) => file.endsWith("money-deposited.gen.ts"))).toBe(true);
    expect(typeCheck(files)).toEqual([]);
  }, 120_000);

  it("is up to date right after generation (--check finds no drift)", async () => {
    const result = await runCodegen({ repoRoot: root, check: true });
    expect(result.drift).toEqual([]);
    expect(result.eventCount).toBe(9);
  });

  it("constructs an event from valid data, with literal type and version", () => {
    const MoneyDeposited = eventClass("MoneyDeposited");
    const event = new MoneyDeposited({ accountId: ACCOUNT, money: { amountMinor: 500, currency: "EUR" }, source: "cash" });
    expect(event.type).toBe("MoneyDeposited");
    expect(event.schemaVersion).toBe(4);
    expect(MoneyDeposited.type).toBe("MoneyDeposited");
    expect(MoneyDeposited.schemaVersion).toBe(4);
    expect(event.data).toEqual({ accountId: ACCOUNT, money: { amountMinor: 500, currency: "EUR" }, source: "cash" });
  });

  it("rejects invalid data with the runtime's EventValidationError, listing every issue with its path", () => {
    const MoneyDeposited = eventClass("MoneyDeposited");
    let caught: unknown;
    try {
      new MoneyDeposited({ accountId: "not-a-uuid", money: { amountMinor: 0, currency: "XYZ" }, source: "cash" });
    } catch (error) {
      caught = error;
    }
    expect(isStrataError(caught)).toBe(true);
    const error = caught as EventValidationError;
    expect(error.code).toBe("EVENT_VALIDATION");
    expect(error.issues.map((issue) => issue.path.join("/")).sort()).toEqual(["accountId", "money/amountMinor", "money/currency"]);
    expect(error.issues.every((issue) => issue.type === "MoneyDeposited")).toBe(true);
    // The offending values never reach the error (they may be personal data).
    expect(JSON.stringify(error.issues)).not.toContain("not-a-uuid");
    expect(error.message).not.toContain("not-a-uuid");
  });

  it("reports personal data invalid without echoing it", () => {
    const CustomerRegistered = eventClass("CustomerRegistered");
    const data = { customerId: ACCOUNT, name: "Ada Lovelace", email: "ada-at-example.org", address: { street: "1 Main St", city: "London", postalCode: "N1", country: "gb" } };
    expect(() => new CustomerRegistered(data)).toThrow(/email/);
    try {
      new CustomerRegistered(data);
    } catch (error) {
      expect(JSON.stringify((error as EventValidationError).issues)).not.toContain("ada-at-example.org");
      expect(String(error)).not.toContain("ada-at-example.org");
    }
  });

  it("parses the serialised form of an event and refuses another type or version", () => {
    const MoneyWithdrawn = eventClass("MoneyWithdrawn");
    const event = new MoneyWithdrawn({ accountId: ACCOUNT, money: { amountMinor: 1, currency: "USD" } });
    const copy = MoneyWithdrawn.parse(JSON.parse(JSON.stringify(event)));
    expect(copy).toBeInstanceOf(MoneyWithdrawn);
    expect(copy.data).toEqual(event.data);
    expect(() => MoneyWithdrawn.parse({ type: "MoneyDeposited", data: event.data })).toThrow();
    expect(() => MoneyWithdrawn.parse({ type: "MoneyWithdrawn", schemaVersion: 1, data: event.data })).toThrow();
    expect(() => MoneyWithdrawn.parse({ type: "MoneyWithdrawn", data: { accountId: ACCOUNT } })).toThrow(/\/data\/money/);
  });

  it("exports one registry with every event type, its versions, validators and personal-data fields", () => {
    const registry = banking["bankingRegistry"] as {
      context: string;
      events: Record<string, { type: string; latestVersion: number; versions: Record<number, { validator: { safeParse(v: unknown): { success: boolean } }; pii: unknown }>; upcasters: { from: number; to: number; upcast: (data: unknown, context: unknown) => unknown }[] }>;
    };
    expect(registry.context).toBe("banking");
    expect(Object.keys(registry.events)).toEqual([
      "AccountClosed",
      "AccountFrozen",
      "AccountOpened",
      "CustomerRegistered",
      "MoneyDeposited",
      "MoneyWithdrawn",
      "TransferCompleted",
      "TransferFailed",
      "TransferInitiated",
    ]);
    const deposited = registry.events["MoneyDeposited"];
    expect(deposited?.latestVersion).toBe(4);
    expect(deposited?.versions[1]?.validator.safeParse({ accountId: ACCOUNT, amount: 5 }).success).toBe(true);
    expect(deposited?.versions[1]?.validator.safeParse({ accountId: ACCOUNT, amount: 5, currency: "EUR" }).success).toBe(false);
    expect(registry.events["TransferInitiated"]?.versions[1]?.pii).toEqual([
      { path: "/payeeName", subject: "/toCustomerId" },
      { path: "/payerName", subject: "/fromCustomerId" },
    ]);
    expect(deposited?.upcasters.map((step) => `${step.from}->${step.to}`)).toEqual(["1->2", "2->3", "3->4"]);
  });

  it("wires the derived v1→v2 upcaster of MoneyDeposited (the currency default)", () => {
    const registry = banking["bankingRegistry"] as { events: Record<string, { upcasters: { upcast: (data: unknown, context: unknown) => unknown }[] }> };
    const step = registry.events["MoneyDeposited"]?.upcasters[0];
    expect(step?.upcast({ accountId: ACCOUNT, amount: 5 }, {})).toEqual({ accountId: ACCOUNT, amount: 5, currency: "EUR" });
  });
});
