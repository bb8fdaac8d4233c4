import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyUpcastOperations } from "./upcast-operations.js";
import type { UpcastOperation } from "./upcast-operations.js";

/** The operations' meaning, written the plainest way (one copy per operation): the interpreter must match it key for key. */
function reference(data: unknown, operations: readonly UpcastOperation[]): unknown {
  let value = data;
  for (const operation of operations) {
    const name = operation.path.slice(1).replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    const target = value as Record<string, unknown>;
    if (operation.op === "set-default") {
      if (!Object.hasOwn(target, name)) value = { ...target, [name]: structuredClone(operation.value) };
    } else if (Object.hasOwn(target, name)) {
      const { [name]: moved, ...others } = target;
      value = operation.op === "rename" ? { ...others, [operation.to]: moved } : others;
    }
  }
  return value;
}

describe("applyUpcastOperations", () => {
  it("fills a default only where the field is absent", () => {
    const op = { op: "set-default", path: "/currency", value: "EUR" } as const;
    expect(applyUpcastOperations({ amount: 5 }, [op])).toEqual({ amount: 5, currency: "EUR" });
    expect(applyUpcastOperations({ amount: 5, currency: "USD" }, [op])).toEqual({ amount: 5, currency: "USD" });
  });

  it("renames and removes nested fields, including inside every array item", () => {
    const data = { lines: [{ qty: 1, note: "a" }, { qty: 2 }], meta: { old: true } };
    const result = applyUpcastOperations(data, [
      { op: "rename", path: "/lines/*/qty", to: "quantity" },
      { op: "remove", path: "/lines/*/note" },
      { op: "rename", path: "/meta/old", to: "legacy" },
    ]);
    expect(result).toEqual({ lines: [{ quantity: 1 }, { quantity: 2 }], meta: { legacy: true } });
  });

  it("gives every event its own copy of an object default", () => {
    const op = { op: "set-default", path: "/tags", value: ["new"] } as const;
    const first = applyUpcastOperations({}, [op]) as { tags: string[] };
    const second = applyUpcastOperations({}, [op]) as { tags: string[] };
    first.tags.push("mutated");
    expect(second.tags).toEqual(["new"]);
    expect(op.value).toEqual(["new"]);
  });

  it("decodes escaped pointer segments", () => {
    expect(applyUpcastOperations({ "a/b": 1 }, [{ op: "rename", path: "/a~1b", to: "ab" }])).toEqual({ ab: 1 });
  });

  it("never mutates its input", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), // "*" is the array wildcard, not a property name.
      fc.string({ minLength: 1 }).filter((key) => key !== "*"), (data, key) => {
        const before = structuredClone(data);
        const path = `/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        applyUpcastOperations(data, [
          { op: "set-default", path, value: { nested: [1] } },
          { op: "rename", path, to: `${key}-renamed` },
          { op: "remove", path: `${path}-renamed` },
        ]);
        expect(data).toEqual(before);
      }),
    );
  });

  it("gives the same data, in the same key order, as one copy per operation would, without touching the input", () => {
    const key = fc.constantFrom("a", "b", "c", "1", "__proto__", "x/y");
    const pointer = key.map((k) => `/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    const operation: fc.Arbitrary<UpcastOperation> = fc.oneof(
      fc.record({ op: fc.constant("set-default" as const), path: pointer, value: fc.jsonValue() }),
      fc.record({ op: fc.constant("rename" as const), path: pointer, to: key }),
      fc.record({ op: fc.constant("remove" as const), path: pointer }),
    );
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue()).map((d) => JSON.parse(JSON.stringify(d)) as unknown), fc.array(operation, { maxLength: 5 }), (data, operations) => {
        const before = JSON.stringify(data);
        const result = applyUpcastOperations(data, operations);
        expect(JSON.stringify(result)).toBe(JSON.stringify(reference(data, operations)));
        expect(Object.getPrototypeOf(result)).toBe(Object.getPrototypeOf(data));
        expect(JSON.stringify(data)).toBe(before);
      }),
    );
  });

  it("treats inherited names such as constructor as absent", () => {
    const op = { op: "set-default", path: "/constructor", value: "x" } as const;
    expect(applyUpcastOperations({}, [op])).toEqual({ constructor: "x" });
    expect(applyUpcastOperations({}, [{ op: "rename", path: "/toString", to: "t" }])).toEqual({});
  });

  it("rejects a path that does not end in a property name", () => {
    expect(() => applyUpcastOperations({}, [{ op: "remove", path: "/items/*" }])).toThrow(/property name/);
  });
});
