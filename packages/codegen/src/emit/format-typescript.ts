/**
 * Formats TypeScript text with the compiler's own formatter and fixed settings.
 *
 * Why not `SourceFile.formatText()`: ts-morph re-wraps every node after applying the edits,
 * which made formatting the slowest part of a large run. Asking a single-file language service
 * for the edits and applying them to the string gives the same result at a fraction of the cost.
 */
import { ts } from "ts-morph";

/** Fixed formatter settings: output never depends on the machine or an editor config. */
const FORMAT_SETTINGS: ts.FormatCodeSettings = {
  indentSize: 2,
  tabSize: 2,
  convertTabsToSpaces: true,
  newLineCharacter: "\n",
  indentStyle: ts.IndentStyle.Smart,
  insertSpaceAfterCommaDelimiter: true,
  insertSpaceAfterSemicolonInForStatements: true,
  insertSpaceBeforeAndAfterBinaryOperators: true,
  insertSpaceAfterKeywordsInControlFlowStatements: true,
  insertSpaceAfterFunctionKeywordForAnonymousFunctions: true,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBrackets: false,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyParenthesis: false,
  insertSpaceAfterOpeningAndBeforeClosingTemplateStringBraces: false,
  insertSpaceAfterTypeAssertion: false,
  placeOpenBraceOnNewLineForFunctions: false,
  placeOpenBraceOnNewLineForControlBlocks: false,
  semicolons: ts.SemicolonPreference.Insert,
};

const FILE_NAME = "/format.ts";

/** A formatter over one scratch file; create one per run and reuse it. */
export function createFormatter(): (text: string) => string {
  let current = "";
  let version = 0;
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => ({ noLib: true, noResolve: true }),
    getScriptFileNames: () => [FILE_NAME],
    getScriptVersion: () => String(version),
    getScriptSnapshot: (fileName) => (fileName === FILE_NAME ? ts.ScriptSnapshot.fromString(current) : undefined),
    getCurrentDirectory: () => "/",
    getDefaultLibFileName: () => "/lib.d.ts",
    fileExists: (fileName) => fileName === FILE_NAME,
    readFile: (fileName) => (fileName === FILE_NAME ? current : undefined),
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  return (text) => {
    current = text;
    version += 1;
    const edits = service.getFormattingEditsForDocument(FILE_NAME, FORMAT_SETTINGS);
    // Edits do not overlap: stitch the text together in one pass.
    const parts: string[] = [];
    let offset = 0;
    for (const edit of [...edits].sort((a, b) => a.span.start - b.span.start)) {
      parts.push(text.slice(offset, edit.span.start), edit.newText);
      offset = edit.span.start + edit.span.length;
    }
    parts.push(text.slice(offset));
    return parts.join("");
  };
}
