/**
 * The human-readable report of `strata check`: per event type a table of its version pairs
 * (verdicts and upcaster), the changes of each pair, then every problem as `file#pointer`.
 */
import type { SchemaChange } from "../diff/schema-change.js";
import type { CatalogCheckReport } from "./check-catalog.js";
import type { EventCompatibility, PairReport, StepReport } from "./check-compatibility.js";
import type { CheckProblem } from "./check-problem.js";
import type { RevisionComparison } from "./compare-revisions.js";
import { describeEvidence } from "./judge-pair.js";

function table(rows: readonly (readonly string[])[], indent: string): string[] {
  const widths = rows.reduce<number[]>((acc, row) => row.map((cell, i) => Math.max(acc[i] ?? 0, cell.length)), []);
  return rows.map((row) => `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ")}`.trimEnd());
}

function stepCell(step: StepReport | undefined, pair: PairReport): string {
  if (step === undefined) return pair.bridged ? "bridged by the chain" : "not bridged";
  const plan = step.plan;
  if (plan.kind === "derived") {
    const ops = plan.operations.map((op) => `${op.op} ${op.path}${op.op === "rename" ? ` → ${op.to}` : ""}`);
    return `derived${ops.length > 0 ? `: ${ops.join(", ")}` : " (no change to data)"}`;
  }
  return `hand-written ${plan.file}: ${step.status === "ok" ? "ok" : step.status}`;
}

function changeLine(change: SchemaChange): readonly string[] {
  const bridge = change.derivable === null ? "needs code" : change.derivable.length === 0 ? "no-op" : "derived";
  return [change.pointer || "(event)", change.kind, `B:${change.backward}`, `F:${change.forward}`, bridge, change.detail];
}

function formatEvent(event: EventCompatibility): string[] {
  const lines = [`${event.context}/${event.event}  (${event.mode})`];
  const rows: string[][] = [["pair", "BACKWARD", "FORWARD", "upcaster"]];
  for (const pair of event.pairs) {
    const step = pair.to - pair.from === 1 ? event.steps.find((s) => s.plan.from === pair.from) : undefined;
    rows.push([`v${pair.from}→v${pair.to}`, pair.backward, pair.forward, stepCell(step, pair)]);
  }
  lines.push(...table(rows, "  "));
  for (const pair of event.pairs) {
    const { backward, forward } = pair.evidence;
    if (backward !== undefined) lines.push(`  v${pair.from}→v${pair.to} BACKWARD ${pair.backward}: ${describeEvidence(backward, pair.from, pair.to)}`);
    if (forward !== undefined) lines.push(`  v${pair.from}→v${pair.to} FORWARD ${pair.forward}: ${describeEvidence(forward, pair.to, pair.from)}`);
  }
  for (const pair of event.pairs.filter((p) => p.to - p.from === 1 && p.changes.length > 0)) {
    lines.push(`  changes v${pair.from}→v${pair.to}:`, ...table(pair.changes.map(changeLine), "    "));
  }
  return lines;
}

function formatRevisions(comparison: RevisionComparison): string[] {
  if (comparison.events.length === 0) return [`Against ${comparison.ref}: no event version differs.`];
  const lines = [`Against ${comparison.ref}:`];
  for (const event of comparison.events) {
    for (const version of event.versions) {
      lines.push(`  ${event.event} v${version.version}: ${version.status}${version.released ? " (released)" : ""}`);
      if (version.changes.length > 0) lines.push(...table(version.changes.map(changeLine), "    "));
    }
  }
  return lines;
}

/** One line per problem: `file#pointer: [code] message`. */
export function formatProblems(problems: readonly CheckProblem[]): string[] {
  return problems.map((problem) => `  ${problem.file}#${problem.pointer}: [${problem.code}] ${problem.message}`);
}

/** The full human-readable report. */
export function formatCheckReport(report: CatalogCheckReport, comparison?: RevisionComparison): string {
  const lines: string[] = [];
  const multi = report.events.filter((event) => event.pairs.length > 0);
  const single = report.events.filter((event) => event.pairs.length === 0);
  for (const event of multi) lines.push(...formatEvent(event), "");
  if (single.length > 0) lines.push(`One version, nothing to compare: ${single.map((event) => `${event.context}/${event.event}`).join(", ")}`, "");
  if (comparison !== undefined) lines.push(...formatRevisions(comparison), "");
  const problems = [...report.problems, ...(comparison?.problems ?? [])];
  if (problems.length > 0) {
    lines.push(`Problems (${problems.length}):`, ...formatProblems(problems), "");
    lines.push(`strata check: failed with ${problems.length} problem${problems.length === 1 ? "" : "s"}.`);
  } else {
    lines.push(`strata check: ok (${report.events.length} event type${report.events.length === 1 ? "" : "s"}).`);
  }
  return `${lines.join("\n")}\n`;
}
