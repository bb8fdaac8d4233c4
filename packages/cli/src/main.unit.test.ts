import { describe, expect, it } from "vitest";

import type { CommandIo } from "./commands/command.js";
import { EXIT_CODES } from "./commands/command.js";
import { main } from "./main.js";

function captureIo(cwd = process.cwd()): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { cwd, stdout: (t) => out.push(t), stderr: (t) => err.push(t), stderrIsTty: false, signal: new AbortController().signal, out, err };
}

describe("main", () => {
  it("lists the commands for --help and exits 0", async () => {
    const io = captureIo();
    expect(await main(["--help"], io)).toBe(EXIT_CODES.ok);
    expect(io.out.join("")).toMatch(/Usage: strata <command>[\s\S]*codegen/);
  });

  it("exits 2 with the usage when no command is given", async () => {
    const io = captureIo();
    expect(await main([], io)).toBe(EXIT_CODES.usage);
    expect(io.err.join("")).toContain("Usage: strata <command>");
  });

  it("exits 2 for an unknown command, naming it", async () => {
    const io = captureIo();
    expect(await main(["codegne"], io)).toBe(EXIT_CODES.usage);
    expect(io.err.join("")).toContain('unknown command "codegne". Did you mean "codegen"?');
  });

  it("suggests nothing for a name close to no command", async () => {
    const io = captureIo();
    expect(await main(["deploy"], io)).toBe(EXIT_CODES.usage);
    expect(io.err.join("")).not.toContain("Did you mean");
  });

  it("suggests the closest option of the command for an unknown option", async () => {
    const io = captureIo();
    expect(await main(["codegen", "--wacth"], io)).toBe(EXIT_CODES.usage);
    expect(io.err.join("")).toContain('Did you mean "--watch"?');
  });

  it.each(["--version", "-v", "version"])("prints the package version for %s", async (flag) => {
    const io = captureIo();
    expect(await main([flag], io)).toBe(EXIT_CODES.ok);
    const { version } = (await import("../package.json", { with: { type: "json" } })).default;
    expect(io.out.join("")).toBe(`${version}\n`);
  });

  it("prints a command's own help for <command> --help", async () => {
    const io = captureIo();
    expect(await main(["codegen", "--help"], io)).toBe(EXIT_CODES.ok);
    expect(io.out.join("")).toContain("Usage: strata codegen [--check] [--watch] [--root <dir>]");
  });

  it("exits 2 for an unknown option, with the command's help", async () => {
    const io = captureIo();
    expect(await main(["codegen", "--chek"], io)).toBe(EXIT_CODES.usage);
    expect(io.err.join("")).toMatch(/--chek[\s\S]*Usage: strata codegen/);
  });
});
