import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import type { HandWrittenUpcasterStep } from "../model/upcaster-plan.js";
import { inspectHandWrittenUpcaster, inspectUpcasterSource } from "./inspect-upcaster.js";
import { UNFILLED_UPCASTER_MARKER, expectedUpcaster, scaffoldUpcasterSource } from "./scaffold.js";

const step: HandWrittenUpcasterStep = {
  kind: "hand-written",
  type: "MoneyDeposited",
  from: 2,
  to: 3,
  file: "upcasters/money-deposited.v2-to-v3.ts",
  exportName: "upcastMoneyDepositedV2ToV3",
};
const expected = expectedUpcaster(step);

const header = `import type { UpcastContext } from "@strata/runtime";
import type { MoneyDepositedV2, MoneyDepositedV3 } from "../generated/money-deposited.types.gen.js";
`;
const filled = `${header}
export function upcastMoneyDepositedV2ToV3(data: MoneyDepositedV2, _context: UpcastContext): MoneyDepositedV3 {
  return { accountId: data.accountId, money: { amountMinor: data.amount, currency: data.currency }, source: "unknown" };
}
`;

describe("scaffoldUpcasterSource", () => {
  it("writes a typed function that imports its types and throws the placeholder", () => {
    const source = scaffoldUpcasterSource(step, [
      { kind: "property-added", pointer: "/source", detail: "required property added and no default", backward: "breaking", forward: "breaking", derivable: null },
    ]);
    expect(source).toContain('import type { UpcastContext } from "@strata/runtime";');
    expect(source).toContain('import type { MoneyDepositedV2, MoneyDepositedV3 } from "../generated/money-deposited.types.gen.js";');
    expect(source).toContain("export function upcastMoneyDepositedV2ToV3(_data: MoneyDepositedV2, _context: UpcastContext): MoneyDepositedV3 {");
    expect(source).toContain(UNFILLED_UPCASTER_MARKER);
    expect(source).toContain("- /source: property-added, required property added and no default — needs code");
  });

  it("is recognised as the unfilled scaffold, with the right signature", () => {
    expect(inspectUpcasterSource("scaffold.ts", scaffoldUpcasterSource(step), expected)).toEqual({
      status: "unfilled",
      detail: "upcastMoneyDepositedV2ToV3 is still the unfilled scaffold (its body only throws)",
    });
  });
});

describe("inspectUpcasterSource", () => {
  it("accepts a filled-in upcaster", () => {
    expect(inspectUpcasterSource("x.ts", filled, expected)).toEqual({ status: "ok" });
  });

  it("accepts an arrow function, aliased imports and a data-only signature", () => {
    const text = `import type { MoneyDepositedV2 as V2, MoneyDepositedV3 as V3 } from "../generated/money-deposited.types.gen.js";
export const upcastMoneyDepositedV2ToV3 = (data: V2): V3 => ({ accountId: data.accountId, money: { amountMinor: data.amount, currency: data.currency }, source: "unknown" });
`;
    expect(inspectUpcasterSource("x.ts", text, expected)).toEqual({ status: "ok" });
  });

  it("rejects a wrong parameter type", () => {
    const text = filled.replace("data: MoneyDepositedV2", "data: MoneyDepositedV3");
    const result = inspectUpcasterSource("x.ts", text, expected);
    expect(result.status).toBe("wrong-signature");
    expect(result.status === "wrong-signature" && result.detail).toContain("first parameter must be typed MoneyDepositedV2");
  });

  it("rejects a missing or wrong return type and an async function", () => {
    expect(inspectUpcasterSource("x.ts", filled.replace("): MoneyDepositedV3 {", ") {"), expected).status).toBe("wrong-signature");
    expect(inspectUpcasterSource("x.ts", filled.replace("): MoneyDepositedV3 {", "): MoneyDepositedV2 {"), expected).status).toBe("wrong-signature");
    expect(inspectUpcasterSource("x.ts", filled.replace("export function", "export async function"), expected).status).toBe("wrong-signature");
  });

  it("rejects a type of the same name imported from elsewhere", () => {
    const text = filled.replace('"../generated/money-deposited.types.gen.js"', '"./my-types.js"');
    expect(inspectUpcasterSource("x.ts", text, expected).status).toBe("wrong-signature");
  });

  it("reports a missing export", () => {
    expect(inspectUpcasterSource("x.ts", filled.replace("upcastMoneyDepositedV2ToV3", "upcastV2"), expected).status).toBe("missing-export");
  });

  it("treats a body that only throws as unfilled, even without the marker", () => {
    const text = `${header}
export function upcastMoneyDepositedV2ToV3(_data: MoneyDepositedV2, _context: UpcastContext): MoneyDepositedV3 {
  throw new Error("upcastMoneyDepositedV2ToV3 is not written yet");
}
`;
    expect(inspectUpcasterSource("x.ts", text, expected).status).toBe("unfilled");
  });
});

describe("inspectHandWrittenUpcaster", () => {
  it("reads the file, and reports a missing one", async () => {
    const folder = await mkdtemp(join(tmpdir(), "strata-inspect-"));
    try {
      const file = join(folder, "money-deposited.v2-to-v3.ts");
      expect((await inspectHandWrittenUpcaster(file, expected)).status).toBe("missing-file");
      await writeFile(file, filled);
      expect(await inspectHandWrittenUpcaster(file, expected)).toEqual({ status: "ok" });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
