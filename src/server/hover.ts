/** Hovers: the answer as the grader reads it, the last run over the title, the benchmark problem over
 * a near-duplicate. Markdown only: VS Code hovers do not typeset LaTeX, so math is shown as plainMath. */
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { normalizeAnswer } from '../core/answer';
import { parseAnswer, type Answer } from '../core/answer/parse';
import { plainStatement } from '../core/authoring/plainStatement';
import { sameStatement, unitResults } from '../core/authoring/recordMatch';
import type { DuplicateMatch, Finding, MappedText, ProblemDocument, ProblemUnit } from '../core/authoring/types';
import { plainMath } from '../core/format';
import { runDetails } from './annotation';
import { spanContains, spanToRange } from './positions';
import type { ProblemRunResult } from './protocol';
import type { DocumentRunResults } from './runResults';

/** How much of a benchmark statement a hover shows. */
const STATEMENT_CHARS = 600;

export function hoverAt(document: TextDocument, problem: ProblemDocument, findings: readonly Finding[], offset: number, results: DocumentRunResults): Hover | null {
  const unit = problem.units.find((u) => spanContains(u.span, offset));
  if (!unit) return null;
  // The field the answer was read from: `answer`, or a problem set's `gt`/`gt_answer`.
  const answerAt = unit.answer?.offsetAt(0);
  const answerField = answerAt === undefined ? undefined : unit.fields.find((f) => spanContains(f.valueSpan, answerAt));
  if (answerField && spanContains(answerField.valueSpan, offset)) {
    // The answer's own findings are not repeated: editors show a diagnostic's message in the same hover.
    return markdown(answerHover(unit.answer), spanToRange(document, answerField.valueSpan));
  }
  // A near-duplicate is reported on the title, where the run results are shown too: one hover for both.
  const sections: string[] = [];
  const duplicate = findings.find((f) => f.duplicate && spanContains(f.span, offset))?.duplicate;
  if (duplicate) sections.push(duplicateHover(duplicate));
  // A record's title is its whole line: "Not run yet" on every hover over a set would be noise (its
  // lenses offer ▶ Solve), so a record shows only the run it has.
  const result = unitResults(problem, results).get(unit);
  if (spanContains(unit.titleSpan, offset) && (unit.line === undefined || result)) sections.push(runHover(unit, result));
  return sections.length ? markdown(sections.join('\n\n---\n\n'), spanToRange(document, unit.titleSpan)) : null;
}

function duplicateHover(d: DuplicateMatch): string {
  const statement = plainStatement(d.statement);
  const shown = statement.length > STATEMENT_CHARS ? `${statement.slice(0, STATEMENT_CHARS)}…` : statement;
  // The diagnostic's message (shown above this by the editor) names the match; this shows its text.
  return `**${escape(d.dataset)} ${escape(d.id)}**, ${Math.round(d.similarity * 100)}% similar:\n\n> ${escape(shown)}`;
}

function answerHover(answer: MappedText | undefined): string {
  const raw = answer?.text ?? '';
  const lines = [`**Answer:** ${escape(plainMath(raw)) || '(empty)'}`];
  const normalized = normalizeAnswer(raw);
  if (normalized) {
    lines.push(`Normalised: \`${normalized.replace(/`/g, "'")}\``, `Graded as ${gradedAs(parseAnswer(normalized))}`);
  } else {
    lines.push('Nothing to grade against: runs can only group chains by vote.');
  }
  return lines.join('\n\n');
}

/** The grader's reading of an answer, in words. */
function gradedAs(a: Answer): string {
  switch (a.kind) {
    case 'number': return 'a number, compared exactly';
    case 'expr': return 'an expression, compared symbolically';
    case 'text': return 'text, compared ignoring case';
    case 'choice': return `a multiple-choice letter (${a.letter})`;
    case 'tuple':
      // `(0, 1]` can only be an interval; `(0, 1)` may be a point too.
      if (a.items.length === 2 && (a.open === '(') !== (a.close === ')')) return 'an interval';
      return a.items.length === 2 ? 'an ordered pair or an interval' : `an ordered ${a.items.length}-tuple`;
    case 'set': return `a set of ${a.items.length} values, in any order`;
    case 'union': return `a union of ${a.items.length} parts`;
    case 'matrix': return `a ${a.rows.length}×${a.rows[0]?.length ?? 0} matrix`;
    case 'named': return `a value named ${a.name}, graded by the value: ${gradedAs(a.value)}`;
    case 'relation': return a.ops.every((op) => op === '=') ? 'an equation' : 'an inequality';
  }
}

function runHover(unit: ProblemUnit, result: ProblemRunResult | undefined): string {
  if (!result) return 'Not run yet: click **▶ Solve** above to run it with the selected model.';
  const lines = runDetails(result).map(escape);
  if (!sameStatement(result.statement, unit.statement.text)) lines.push('_The statement has changed since this run._');
  return lines.join('\n\n');
}

function markdown(value: string, range: Hover['range']): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}

/** Text shown as Markdown, taken literally. */
function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);
}
