import { describe, expect, it } from "vitest";
import { ERASED, isErased } from "./erased.js";

describe("ERASED", () => {
  it("is plain JSON that stays recognisable after serialisation (snapshots, read models, JSONB)", () => {
    const reparsed = JSON.parse(JSON.stringify({ email: ERASED })) as { email: unknown };
    expect(JSON.stringify(ERASED)).toBe('{"$erased":true}');
    expect(isErased(reparsed.email)).toBe(true);
    expect(Object.isFrozen(ERASED)).toBe(true);
  });

  it.each([null, undefined, "erased", {}, { $erased: "true" }, { $erased: false }, { $erased: true, value: "x" }, [ERASED]])(
    "does not mistake %j for the marker",
    (value) => {
      expect(isErased(value)).toBe(false);
    },
  );
});
