import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
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

describe("strata new-version's next steps", () => {
  it.each([
    ["npm/10.9.0 node/v22.23.5", "npx strata"],
    ["pnpm/10.34.9 npm/? node/v22.23.5", "pnpm strata"],
    ["yarn/1.22.22 npm/? node/v22.23.5", "yarn strata"],
  ])("are spelled for the package manager that ran it (%s)", async (agent, strata) => {
    vi.stubEnv("npm_config_user_agent", agent);
    const dir = await mkdtemp(path.join(tmpdir(), "strata-new-version-"));
    try {
      await mkdir(path.join(dir, "schemas", "shop", "CustomerRegistered"), { recursive: true });
      await writeFile(path.join(dir, "schemas", "shop", "CustomerRegistered", "v1.json"), "{}");
      const io = captureIo(dir);
      expect(await main(["new-version", "shop/CustomerRegistered", "--root", dir], io)).toBe(EXIT_CODES.ok);
      expect(io.out()).toContain(`edit it, then run \`${strata} codegen\` and \`${strata} check\`.`);
    } finally {
      vi.unstubAllEnvs();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
