import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "../store/recorded-event.js";
import { categoryTypeDestination, escapeToken, streamCategory, unescapeToken } from "./destinations.js";

describe("destinations", () => {
  it("escapes any string into one token of safe characters, reversibly", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (text) => {
        const token = escapeToken(text);
        expect(token).toMatch(/^[A-Za-z0-9_%-]+$/);
        expect(unescapeToken(token)).toBe(text);
      }),
    );
    expect(escapeToken("$strata.SubjectErased")).toBe("%24strata%2ESubjectErased");
    expect(escapeToken("a b*>#")).toBe("a%20b%2A%3E%23");
    expect(escapeToken("")).toBe("_");
    expect(escapeToken("_")).toBe("%5F");
    expect(unescapeToken(escapeToken("_"))).toBe("_");
  });

  it("maps stream category and event type, with a prefix", () => {
    const event = { streamId: "account-42-x", type: "MoneyDeposited" } as RecordedEvent;
    expect(streamCategory("account-42-x")).toBe("account");
    expect(streamCategory("ledger")).toBe("ledger");
    expect(categoryTypeDestination("bank.events")(event)).toBe("bank.events.account.MoneyDeposited");
    expect(categoryTypeDestination("")(event)).toBe("account.MoneyDeposited");
    expect(() => categoryTypeDestination("bad prefix")).toThrow(/prefix/);
  });
});
