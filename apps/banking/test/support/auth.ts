import { readDevUsers } from "../../src/auth/auth-settings.js";

/** Logs in to the app at `base` as `username`, with the password from its development users file. */
export async function loginHeaders(base: string, username: string, authFile: string): Promise<Record<string, string>> {
  const user = (await readDevUsers(authFile))?.find((candidate) => candidate.username === username);
  if (user === undefined) throw new Error(`no user ${username} in ${authFile}`);
  const response = await fetch(`${base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: user.password }) });
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}` };
}
