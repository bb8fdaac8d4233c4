/**
 * Inspects the hand-written upcasters a run's plan uses and turns every problem into a warning.
 * Codegen never fails on them — a freshly scaffolded upcaster is unfilled by design, and the
 * package must still be generated so it can be written — but `strata check` does.
 */
import path from "node:path";

import type { PackageOutput } from "../emit/package-file.js";
import { inspectHandWrittenUpcaster } from "../upcasters/inspect-upcaster.js";
import { expectedUpcaster } from "../upcasters/expected-upcaster.js";
import type { CodegenWarning } from "./codegen-result.js";

/**
 * Warnings for the hand-written upcasters of `outputs` that are still the unfilled scaffold, or
 * do not export the expected function with the expected signature. Missing files are not
 * warned about: a run scaffolds them, and `--check` already reports them as missing.
 */
export async function inspectUpcasters(repoRoot: string, outputs: readonly PackageOutput[]): Promise<CodegenWarning[]> {
  const steps = outputs.flatMap((output) => output.handWritten.map((step) => ({ step, file: `${output.directory}/src/${step.file}` })));
  const inspected = await Promise.all(
    steps.map(async ({ step, file }) => ({ step, file, inspection: await inspectHandWrittenUpcaster(path.join(repoRoot, file), expectedUpcaster(step)) })),
  );
  const warnings: CodegenWarning[] = [];
  for (const { step, file, inspection } of inspected) {
    const where = `${step.type} v${step.from}→v${step.to}`;
    switch (inspection.status) {
      case "ok":
      case "missing-file":
        break;
      case "unfilled":
        warnings.push({
          path: file,
          code: "unfilled-upcaster",
          message: `${where}: ${inspection.detail}. Write its body: events stored at v${step.from} cannot be read until it is (\`strata check\` fails on it).`,
        });
        break;
      case "missing-export":
      case "wrong-signature":
        warnings.push({ path: file, code: `upcaster-${inspection.status}`, message: `${where}: ${inspection.detail} (\`strata check\` fails on it).` });
        break;
    }
  }
  return warnings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
