import { expectTypeOf, test } from "vitest";
import type { Erased } from "./erased.js";
import { isErased } from "./erased.js";
import type { SubjectDek, SubjectKeys } from "./subject-keys.js";

declare const keys: SubjectKeys;

test("dekFor returns a key when asked to create one, and maybe a key otherwise", async () => {
  expectTypeOf(await keys.dekFor("s", { create: true })).toEqualTypeOf<SubjectDek>();
  expectTypeOf(await keys.dekFor("s")).toEqualTypeOf<SubjectDek | undefined>();
  expectTypeOf(await keys.dekFor("s", { create: false })).toEqualTypeOf<SubjectDek | undefined>();
});

test("isErased narrows a personal-data field typed T | Erased", () => {
  const email = "x" as string | Erased;
  if (isErased(email)) expectTypeOf(email).toEqualTypeOf<Erased>();
  else expectTypeOf(email).toEqualTypeOf<string>();
});
