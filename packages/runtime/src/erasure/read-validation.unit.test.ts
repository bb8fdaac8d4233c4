import { describe, expect, it } from "vitest";
import { ERASED } from "../crypto/erased.js";
import { piiRegistry } from "./personal-data.fixture.js";
import { validateReadData } from "./read-validation.js";

const meetingV1 = piiRegistry.events["MeetingHeld"]?.versions[1];
const customerV2 = piiRegistry.events["CustomerRegistered"]?.versions[2];
if (meetingV1 === undefined || customerV2 === undefined) throw new Error("fixture changed");

const meeting = {
  meetingId: "m-1",
  notes: "n",
  host: { personId: "h", phone: "+1" },
  participants: [
    { personId: "a", email: "a@example.org", address: { street: "s", city: "c" } },
    { personId: "b", email: "b@example.org", address: { street: "s", city: "c" } },
  ],
};

describe("validateReadData", () => {
  it("accepts the erased marker at every personal-data path, including array items and nested fields", () => {
    const erased = { ...meeting, host: { ...meeting.host, phone: ERASED }, participants: meeting.participants.map((p, i) => (i === 1 ? { ...p, email: ERASED, address: ERASED } : p)) };
    expect(validateReadData(meetingV1, erased)).toEqual({ success: true, data: erased });
    const customer = { customerId: "c", profile: { name: ERASED, email: { $erased: true } }, tier: "gold" };
    expect(validateReadData(customerV2, customer).success).toBe(true);
  });

  it("reports the marker at a path that is not personal data, and keeps the schema's other issues", () => {
    const result = validateReadData(meetingV1, { ...meeting, notes: ERASED, participants: [{ ...meeting.participants[0], personId: ERASED }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    const paths = result.issues.map((issue) => issue.path.join("/"));
    expect(paths).toContain("notes");
    expect(paths).toContain("participants/0/personId");
    expect(result.issues.find((issue) => issue.path.join("/") === "notes")?.message).toContain("not a personal-data field of v1");
    const wrongType = validateReadData(customerV2, { customerId: "c", profile: { name: ERASED, email: 42 }, tier: "gold" });
    expect(wrongType.success).toBe(false);
    if (!wrongType.success) expect(wrongType.issues.map((issue) => issue.path.join("/"))).toEqual(["profile/email"]);
  });

  it("refuses a marker at a personal-data path of another version", () => {
    const customerV1 = piiRegistry.events["CustomerRegistered"]?.versions[1];
    if (customerV1 === undefined) throw new Error("fixture changed");
    expect(validateReadData(customerV1, { customerId: "c", name: ERASED, email: "e@example.org" }).success).toBe(true);
    expect(validateReadData(customerV2, { customerId: "c", name: ERASED, profile: { name: "n", email: "e" }, tier: "t" }).success).toBe(false);
  });
});
