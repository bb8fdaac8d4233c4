import { describe, expect, it } from "vitest";
import { createAppendNotifier } from "./append-notifier.js";

/** A send whose calls stay in flight until released one by one. */
function controlledSend() {
  const releases: ((fail: boolean) => void)[] = [];
  const send = () =>
    new Promise<void>((resolve, reject) => {
      releases.push((fail) => (fail ? reject(new Error("connection lost")) : resolve()));
    });
  const settle = async (fail = false) => {
    const release = releases.shift();
    if (release === undefined) throw new Error("nothing in flight");
    release(fail);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { send, settle, inFlight: () => releases.length };
}

describe("append notifier", () => {
  it("keeps at most one notification in flight and sends exactly one more for any appends made meanwhile", async () => {
    const control = controlledSend();
    const notifier = createAppendNotifier(control.send);
    notifier.notify();
    expect(control.inFlight()).toBe(1);
    for (let i = 0; i < 50; i += 1) notifier.notify();
    expect(control.inFlight()).toBe(1);
    await control.settle();
    // The 50 appends during the first notification cause one more, not 50.
    expect(control.inFlight()).toBe(1);
    await control.settle();
    expect(control.inFlight()).toBe(0);
    await notifier.idle();
    expect(notifier.sent).toBe(2);
    // Idle again: the next append notifies at once.
    notifier.notify();
    expect(control.inFlight()).toBe(1);
    await control.settle();
    await notifier.idle();
    expect(notifier.sent).toBe(3);
  });

  it("swallows and counts failures, and still sends the follow-up", async () => {
    const control = controlledSend();
    const notifier = createAppendNotifier(control.send);
    notifier.notify();
    notifier.notify();
    await control.settle(true);
    expect(control.inFlight()).toBe(1);
    await control.settle();
    await notifier.idle();
    expect({ sent: notifier.sent, failures: notifier.failures }).toEqual({ sent: 1, failures: 1 });
  });

  it("waits out the interval before a follow-up, and coalesces every append made meanwhile into it", async () => {
    const control = controlledSend();
    const pauses: { readonly ms: number; readonly resume: () => void }[] = [];
    const notifier = createAppendNotifier(control.send, { intervalMs: 1_000, pause: (ms) => new Promise<void>((resume) => pauses.push({ ms, resume })) });
    notifier.notify();
    notifier.notify();
    await control.settle();
    // The follow-up is due, but waits for what is left of the interval.
    expect(control.inFlight()).toBe(0);
    expect(pauses).toHaveLength(1);
    expect(pauses[0]?.ms).toBeGreaterThan(0);
    expect(pauses[0]?.ms).toBeLessThanOrEqual(1_000);
    for (let i = 0; i < 20; i += 1) notifier.notify();
    pauses[0]?.resume();
    await new Promise((resolve) => setImmediate(resolve));
    expect(control.inFlight()).toBe(1);
    await control.settle();
    await notifier.idle();
    expect(notifier.sent).toBe(2);
    expect(pauses).toHaveLength(1);
    // Idle, but within the interval of the previous notification (a sequential writer's next
    // append): it waits for the rest of the interval too, and so do the appends made meanwhile.
    notifier.notify();
    notifier.notify();
    expect(control.inFlight()).toBe(0);
    expect(pauses).toHaveLength(2);
    pauses[1]?.resume();
    await new Promise((resolve) => setImmediate(resolve));
    expect(control.inFlight()).toBe(1);
    await control.settle();
    await notifier.idle();
    expect(notifier.sent).toBe(3);
  });

  it("notifies at once after a quiet spell of an interval, and sends one notification per interval to a sequential writer", async () => {
    const control = controlledSend();
    const pauses: number[] = [];
    const notifier = createAppendNotifier(control.send, { intervalMs: 20, pause: async (ms) => {
      pauses.push(ms);
      await new Promise((resolve) => setTimeout(resolve, ms));
    } });
    // A sequential writer: each append notifies after the previous notification completed.
    for (let i = 0; i < 10; i += 1) {
      notifier.notify();
      if (control.inFlight() > 0) await control.settle();
    }
    await new Promise((resolve) => setTimeout(resolve, 40));
    while (control.inFlight() > 0) await control.settle();
    await notifier.idle();
    // The first at once, the other nine appends coalesced into one after the interval.
    expect(notifier.sent).toBe(2);
    expect(pauses).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 25));
    notifier.notify();
    expect(control.inFlight()).toBe(1);
    await control.settle();
    await notifier.idle();
    expect(notifier.sent).toBe(3);
  });

  it("returns from notify without waiting for the send", () => {
    const notifier = createAppendNotifier(() => new Promise(() => undefined));
    const started = performance.now();
    notifier.notify();
    notifier.notify();
    expect(performance.now() - started).toBeLessThan(50);
  });
});
