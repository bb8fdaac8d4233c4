/** Turns printed zod code into a live schema, as a generated module would after compilation. */
import { ts } from "ts-morph";
import { z } from "zod";

/** Transpiles the TypeScript expression `code` and evaluates it with `z` in scope. */
export function evaluateZod(code: string): z.ZodType {
  const { outputText } = ts.transpileModule(`const validator = ${code};`, {
    compilerOptions: { target: ts.ScriptTarget.ES2023, module: ts.ModuleKind.ESNext },
  });
  const factory = new Function("z", `${outputText}\nreturn validator;`) as (zod: typeof z) => z.ZodType;
  return factory(z);
}
