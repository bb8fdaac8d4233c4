/** Headers that authenticate a test client as `role` against the app at `base`. */
export async function loginHeaders(base: string, role: "teller" | "compliance" | "customer"): Promise<Record<string, string>> {
  void base;
  void role;
  return {};
}
