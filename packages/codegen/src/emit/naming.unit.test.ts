import { describe, expect, it } from "vitest";

import { camelCase, contextNames, eventNames, kebabCase, moduleSpecifier, pascalCase } from "./naming.js";

describe("naming", () => {
  it("derives file and identifier names from an event type name", () => {
    const names = eventNames("MoneyDeposited");
    expect(names.moduleFile).toBe("money-deposited.gen.ts");
    expect(names.typesFile).toBe("money-deposited.types.gen.ts");
    expect(names.dataType(3)).toBe("MoneyDepositedV3");
    expect(names.validator(3)).toBe("moneyDepositedV3Schema");
    expect(names.pii(1)).toBe("moneyDepositedV1Pii");
    expect(names.spec).toBe("moneyDepositedSpec");
    expect(names.readDataType(3)).toBe("MoneyDepositedV3Read");
    expect(names.readValidator(3)).toBe("moneyDepositedV3ReadSchema");
    expect(names.readEvent).toBe("MoneyDepositedRead");
  });

  it("handles acronyms and digits", () => {
    expect(kebabCase("IBANVerified")).toBe("iban-verified");
    expect(kebabCase("Payment3DSChallenged")).toBe("payment3-ds-challenged");
    expect(camelCase("IBANVerified")).toBe("iBANVerified");
    expect(pascalCase("order-management")).toBe("OrderManagement");
  });

  it("names a context's union and registry", () => {
    expect(contextNames("banking")).toEqual({ union: "BankingEvent", readUnion: "BankingReadEvent", registry: "bankingRegistry" });
    expect(contextNames("order-management")).toEqual({
      union: "OrderManagementEvent",
      readUnion: "OrderManagementReadEvent",
      registry: "orderManagementRegistry",
    });
  });

  it("turns a .ts path into a NodeNext module specifier", () => {
    expect(moduleSpecifier("money-deposited.gen.ts")).toBe("./money-deposited.gen.js");
    expect(moduleSpecifier("../upcasters/a.v1-to-v2.ts")).toBe("../upcasters/a.v1-to-v2.js");
  });
});
