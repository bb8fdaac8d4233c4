/**
 * Logging the tour in: it reads the generated users (development file or the in-process app's
 * memory) and trades their passwords for bearer tokens, as any client would.
 *
 * @module
 */
import type { DevUser } from "../auth/auth-settings.js";
import { TourStepError } from "./tour-client.js";
import type { TourClient } from "./tour-client.js";

/** Logs in as `username`; returns the headers that carry its token. */
export async function logIn(client: TourClient, users: readonly DevUser[], username: string): Promise<Record<string, string>> {
  const user = users.find((candidate) => candidate.username === username);
  if (user === undefined) throw new TourStepError(`No user "${username}" among the generated users: start the app with its demo data (no --no-seed).`);
  const { body } = await client.request<{ accessToken: string }>("POST", "/auth/token", { body: { username, password: user.password }, expect: 200, quiet: ["accessToken"] });
  return { authorization: `Bearer ${body.accessToken}` };
}
