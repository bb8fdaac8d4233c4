/**
 * The one in-memory ts-morph project every emitter prints its files with. Each file is described
 * as a ts-morph `SourceFileStructure`, printed in one pass (no node-by-node manipulation, no type
 * checking, nothing read from disk), then formatted with fixed settings — deterministic output,
 * fast enough for a 900-schema catalog.
 */
import { IndentationText, NewLineKind, Project, QuoteKind } from "ts-morph";
import type { CodeBlockWriter, StatementStructures, WriterFunction } from "ts-morph";

import { createFormatter } from "./format-typescript.js";

/** Prints source files from structures. One per codegen run. */
export interface EmitProject {
  readonly project: Project;
  readonly format: (text: string) => string;
}

/** A top-level statement of a printed file. */
export type Statement = string | WriterFunction | StatementStructures;

/** Creates the shared, in-memory project. */
export function createEmitProject(): EmitProject {
  const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    skipFileDependencyResolution: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Double,
      useTrailingCommas: true,
      insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
    },
  });
  return { project, format: createFormatter() };
}

/**
 * Code that is already formatted (2-space indentation, relative to its statement), placed into a
 * structure as a placeholder and substituted after printing.
 *
 * Why: ts-morph prints a multi-line initializer with a hanging indent and expects a formatter
 * pass afterwards, and running the TypeScript formatter over every validator was the slowest
 * part of a large run. Initializers built already formatted skip that pass; the placeholder also
 * keeps the writer from scanning regexes and strings it does not need to understand.
 */
export class VerbatimTable {
  readonly #texts: string[] = [];

  /** Registers `text` and returns the placeholder to use in a structure. */
  put(text: string): string {
    this.#texts.push(text);
    return `__strata_verbatim_${this.#texts.length - 1}__`;
  }

  /** Replaces every placeholder in `printed`, indenting continuation lines like the placeholder's line. */
  restore(printed: string): string {
    return printed.replace(/^([ \t]*)(.*?)__strata_verbatim_(\d+)__/gm, (_match, indent: string, before: string, index: string) => {
      const text = this.#texts[Number(index)];
      if (text === undefined) throw new Error(`Unknown verbatim placeholder ${index}`);
      return `${indent}${before}${text.split("\n").join(`\n${indent}`)}`;
    }).replace(/__strata_verbatim_(\d+)__/g, (_match, index: string) => this.#texts[Number(index)] ?? "");
  }
}

/** Options of {@link printSourceFile}. */
export interface PrintOptions {
  /** Substituted after printing; see {@link VerbatimTable}. */
  readonly verbatim?: VerbatimTable;
  /**
   * Run the TypeScript formatter over the printed file. Needed only for text that is not built
   * already formatted (multi-line string initializers without a {@link VerbatimTable}).
   */
  readonly format?: boolean;
}

/**
 * Prints `statements` as one file and returns its text, prefixed with `header` (the
 * generated-file comment lines). The file is removed from the project afterwards, so the
 * project never grows with the catalog.
 */
export function printSourceFile(emit: EmitProject, fileName: string, header: string, statements: readonly Statement[], options: PrintOptions = {}): string {
  const file = emit.project.createSourceFile(`/emit/${fileName}`, { statements: [...statements] }, { overwrite: true });
  try {
    const printed = file.getFullText();
    const formatted = options.format === true ? emit.format(printed) : printed;
    const text = options.verbatim === undefined ? formatted : options.verbatim.restore(formatted);
    return `${header}\n${tidy(text)}\n`;
  } finally {
    emit.project.removeSourceFile(file);
  }
}

/**
 * Re-indents code printed by the TypeScript printer (4 spaces a level) to 2 spaces a level.
 * Exact for printer output, which never holds multi-line string or template literals.
 */
export function reindentPrinted(text: string): string {
  return text.replace(/^((?: {4})+)/gm, (spaces: string) => " ".repeat(spaces.length / 2));
}

/**
 * Formats text that did not come from structures (json-schema-to-typescript's output) the same
 * way as {@link printSourceFile}, and prefixes `header`.
 */
export function formatSourceText(emit: EmitProject, header: string, text: string): string {
  return `${header}\n${tidy(emit.format(text))}\n`;
}

// Generated text never holds multi-line string literals, so whitespace-only edits are safe:
// no trailing spaces, at most one blank line in a row.
function tidy(text: string): string {
  return text
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** `statements` with a blank line before each. */
export function spaced(statements: readonly Statement[]): Statement[] {
  const blankLine = (writer: CodeBlockWriter): void => {
    writer.blankLineIfLastNot();
  };
  return statements.flatMap((statement) => [blankLine, statement]);
}
