/**
 * A hand-written upcaster with the wrong signature must fail `tsc` once codegen wires it into
 * the chain, not only `strata check`. Type-checks the real wiring (emit's `upcasterWiring`)
 * against hand-written files in an in-memory project.
 */
import { Project, ts } from "ts-morph";
import { describe, expect, it } from "vitest";

import { closedObject, eventFixture } from "../check/testing/event-fixture.js";
import { upcasterWiring } from "../emit/emit-upcaster-steps.js";
import { eventNames } from "../emit/naming.js";
import { planUpcasters } from "./plan.js";
import { scaffoldUpcasterSource } from "./scaffold.js";
import type { HandWrittenUpcasterStep } from "../model/upcaster-plan.js";

const RUNTIME = `export interface UpcastContext { readonly eventId: string; readonly streamId: string; readonly recordedAt: Date; readonly metadata: Readonly<Record<string, unknown>> }
export interface UpcasterStep { readonly type: string; readonly from: number; readonly to: number; readonly upcast: (data: unknown, context: UpcastContext) => unknown }
export declare function applyUpcastOperations(data: unknown, operations: readonly unknown[]): unknown;
`;
const TYPES = `export interface MoneyDepositedV1 { accountId: string; amount: number }
export interface MoneyDepositedV2 { accountId: string; amount: number; currency: "EUR" | "USD" }
export interface MoneyDepositedV3 { accountId: string; money: { amountMinor: number; currency: "EUR" | "USD" }; source: string }
`;
const HEADER = `import type { UpcastContext } from "@strata/runtime";
import type { MoneyDepositedV2, MoneyDepositedV3 } from "../generated/money-deposited.types.gen.js";
`;

const str = { type: "string" };
const event = eventFixture("MoneyDeposited", [
  closedObject({ accountId: str, amount: { type: "integer" } }),
  closedObject({ accountId: str, amount: { type: "integer" }, currency: { type: "string", enum: ["EUR", "USD"], default: "EUR" } }),
  closedObject({ accountId: str, money: closedObject({ amountMinor: { type: "integer" }, currency: str }), source: str }),
]);
const plan = planUpcasters(event);
const handWritten = plan.find((step): step is HandWrittenUpcasterStep => step.kind === "hand-written");

function diagnostics(upcaster: string): string[] {
  if (handWritten === undefined) throw new Error("expected a hand-written step");
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { strict: true, exactOptionalPropertyTypes: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true },
  });
  project.createSourceFile("/node_modules/@strata/runtime/package.json", JSON.stringify({ name: "@strata/runtime", type: "module", types: "index.d.ts" }));
  project.createSourceFile("/node_modules/@strata/runtime/index.d.ts", RUNTIME);
  project.createSourceFile("/package.json", JSON.stringify({ type: "module" }));
  project.createSourceFile("/src/generated/money-deposited.types.gen.ts", TYPES);
  project.createSourceFile(`/src/${handWritten.file}`, upcaster);
  const wiring = upcasterWiring(event, eventNames(event.name), plan);
  const chain = project.createSourceFile("/src/generated/money-deposited.gen.ts", "");
  chain.addImportDeclarations([
    { moduleSpecifier: "@strata/runtime", namedImports: ["applyUpcastOperations"] },
    { moduleSpecifier: "@strata/runtime", isTypeOnly: true, namedImports: ["UpcasterStep"] },
    { moduleSpecifier: "./money-deposited.types.gen.js", isTypeOnly: true, namedImports: ["MoneyDepositedV2", "MoneyDepositedV3"] },
    ...wiring.imports,
  ]);
  chain.addVariableStatement(wiring.statement);
  return project.getPreEmitDiagnostics().map((d) => `${d.getSourceFile()?.getBaseName() ?? "?"}: ${ts.flattenDiagnosticMessageText(d.getMessageText() as string | ts.DiagnosticMessageChain, " ")}`);
}

describe("hand-written upcasters under tsc", () => {
  it("type-checks the scaffold and a filled-in upcaster", () => {
    if (handWritten === undefined) throw new Error("expected a hand-written step");
    expect(diagnostics(scaffoldUpcasterSource(handWritten))).toEqual([]);
    const filled = `${HEADER}export function upcastMoneyDepositedV2ToV3(data: MoneyDepositedV2, _context: UpcastContext): MoneyDepositedV3 {
  return { accountId: data.accountId, money: { amountMinor: data.amount, currency: data.currency }, source: "unknown" };
}
`;
    expect(diagnostics(filled)).toEqual([]);
  });

  it("fails when the upcaster returns the wrong version", () => {
    const wrong = `${HEADER}export function upcastMoneyDepositedV2ToV3(data: MoneyDepositedV2, _context: UpcastContext): MoneyDepositedV2 {
  return data;
}
`;
    const found = diagnostics(wrong);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join("\n")).toContain("money-deposited.gen.ts");
  });

  it("fails when the upcaster expects another version's data", () => {
    const wrong = `import type { UpcastContext } from "@strata/runtime";
import type { MoneyDepositedV1, MoneyDepositedV3 } from "../generated/money-deposited.types.gen.js";
export function upcastMoneyDepositedV2ToV3(data: MoneyDepositedV1 & { legacy: true }, _context: UpcastContext): MoneyDepositedV3 {
  return { accountId: data.accountId, money: { amountMinor: data.amount, currency: "EUR" }, source: "unknown" };
}
`;
    expect(diagnostics(wrong).join("\n")).toContain("money-deposited.gen.ts");
  });
});
