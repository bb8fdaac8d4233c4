import { describe, expect, it } from "vitest";
import { processManagerSubscription } from "./operated-subscription.js";
import { welcomeProcess } from "./welcome-process.fixture.js";

describe("processManagerSubscription", () => {
  it("names the process manager's subscription and handled types, and refuses to deliver without the runner", async () => {
    const subscription = processManagerSubscription(welcomeProcess);
    expect(subscription).toMatchObject({ kind: "subscription", name: "welcome", handles: ["AccountOpened", "MoneyDeposited"] });
    await expect(subscription.handle([])).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("createProcessManagerRunner") as unknown });
  });
});
