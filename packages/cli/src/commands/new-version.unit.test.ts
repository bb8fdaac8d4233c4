import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../main.js";
import { EXIT_CODES } from "./command.js";
import { captureIo } from "./testing/capture-io.js";

let root: string;
afterAll(() => rm(root, { recursive: true, force: true }));

describe("strata new-version with a mistyped event", () => {
  it("names the closest <context>/<Event> of the catalog", async () => {
    root = await mkdtemp(path.join(tmpdir(), "strata-new-version-"));
    await mkdir(path.join(root, "schemas", "shop", "CustomerRegistered"), { recursive: true });
    await writeFile(path.join(root, "schemas", "shop", "CustomerRegistered", "v1.json"), "{}");
    const io = captureIo(root);
    expect(await main(["new-version", "shop/CustomerRegisterd", "--root", root], io)).toBe(EXIT_CODES.usage);
    expect(io.err()).toContain("schemas/shop/CustomerRegisterd/ has no v<N>.json; did you mean shop/CustomerRegistered?");
  });
});
