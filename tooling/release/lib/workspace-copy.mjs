// A throwaway copy of the monorepo's working tree (tracked and untracked files, what .gitignore
// leaves out stays out), made a git repository of its own so `changeset version` and
// `changeset publish` can rewrite versions, changelogs, the schema lock and tags there without
// touching the real checkout.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

import { run } from "./exec.mjs";
import { ROOT, pnpm } from "./workspace.mjs";

/** Copies the working tree of ROOT to `destination`, commits it there and installs it offline. */
export async function copyWorkspace(destination) {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((file) => file !== "" && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(destination, file)), { recursive: true });
    cpSync(join(ROOT, file), join(destination, file));
  }
  const git = (args) => run("git", ["-c", "user.name=strata-release-proof", "-c", "user.email=release-proof@localhost", ...args], { cwd: destination });
  await git(["init", "--quiet", "--initial-branch=main"]);
  await git(["add", "--all"]);
  await git(["commit", "--quiet", "--no-verify", "--message", "release proof snapshot"]);
  // The pnpm store already holds every package after the real install: no network needed.
  await pnpm(["install", "--offline", "--frozen-lockfile"], { cwd: destination, root: destination });
  return files.length;
}
