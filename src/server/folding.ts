/** Folding ranges for a problem file: the front matter, display math, fenced code and `[asy]` blocks
 * that span lines, and the sections under Markdown headings. A problem set has none: each record is
 * one line. */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { markdownOutline } from '../core/authoring/markdownOutline';
import type { ProblemDocument, Span } from '../core/authoring/types';

export interface FoldingCapabilities {
  /** The client folds whole lines only (VS Code): no start/end characters. */
  lineFoldingOnly: boolean;
  /** The most ranges the client wants. */
  rangeLimit?: number;
}

export function foldingRangesFor(document: TextDocument, problem: ProblemDocument, caps: FoldingCapabilities): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  /** `inner`: what a character-folding client hides, so the delimiters stay visible (`$$…$$`). */
  const add = (span: Span, kind?: FoldingRangeKind, inner?: Span) => {
    const start = document.positionAt(span.start);
    // The last character, not the end: a block's span ends past its line break.
    const end = document.positionAt(Math.max(span.start, span.end - 1));
    if (end.line <= start.line) return;
    const range: FoldingRange = { startLine: start.line, endLine: end.line, ...(kind ? { kind } : {}) };
    if (inner && !caps.lineFoldingOnly) {
      const from = document.positionAt(inner.start);
      const to = document.positionAt(inner.end);
      if (from.line === start.line) range.startCharacter = from.character;
      if (to.line === end.line) range.endCharacter = to.character;
    }
    ranges.push(range);
  };
  const front = problem.frontMatter;
  if (front) add(front.span, FoldingRangeKind.Region, front.contentSpan);
  const outline = markdownOutline(problem);
  for (const block of outline.blocks) add(block.span, undefined, block.content);
  for (const heading of outline.headings) add(heading.section);
  ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  // Past the limit, the ranges further down the file go first, so the top of the file folds as it did.
  return caps.rangeLimit !== undefined && ranges.length > caps.rangeLimit ? ranges.slice(0, Math.max(0, caps.rangeLimit)) : ranges;
}
