/** All checks of a problem document, as findings with exact spans and ready-made fixes (the language
 * server and `reasonscope check` only translate them). */
import { answerFindings, missingAnswerFindings } from './answerChecks';
import { badValueFindings, unknownKeyFindings } from './frontMatterChecks';
import { answerMathFindings, statementMathFindings } from './mathChecks';
import type { CheckOptions, Finding, ProblemDocument, ProblemUnit } from './types';

export const DEFAULT_DUPLICATE_THRESHOLD = 0.8;

export function checkProblemDocument(doc: ProblemDocument, options: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const unit of doc.units) {
    if (options.isCancelled?.()) break;
    out.push(...checkUnit(doc, unit, options));
  }
  return out;
}

/** Text as the document must spell it: JSON-escaped inside a problem-set string, as is in Markdown. */
function encoderFor(doc: ProblemDocument): (s: string) => string {
  return doc.kind === 'problem-set' ? (s) => JSON.stringify(s).slice(1, -1) : (s) => s;
}

function checkUnit(doc: ProblemDocument, unit: ProblemUnit, options: CheckOptions): Finding[] {
  const errors = unit.readErrors ?? [];
  const out: Finding[] = errors.map(({ code, message, span }) => ({ code, severity: 'error', span, message }));
  // A line that is not a record has nothing more to check.
  if (errors.some((e) => e.code === 'not-json')) return out;
  // Keys and values read from broken front matter would only give confusing findings (and fixes that
  // write into YAML that does not parse): the syntax comes first.
  if (!errors.length) out.push(...fieldFindings(doc, unit));
  if (!unit.statement.text.trim()) {
    const empty = emptyProblem(doc, unit);
    if (empty) out.push(empty);
    return out;
  }
  out.push(...statementMathFindings(unit.statement, encoderFor(doc)));
  const duplicate = nearDuplicate(unit, options);
  if (duplicate) out.push(duplicate);
  return out;
}

function fieldFindings(doc: ProblemDocument, unit: ProblemUnit): Finding[] {
  const quote = doc.kind === 'problem-set' ? (s: string) => JSON.stringify(s) : (s: string) => s;
  const out = doc.kind === 'problem' ? unknownKeyFindings(unit) : [];
  out.push(...badValueFindings(unit, quote), ...missingAnswerFindings(doc, unit));
  if (unit.answer) {
    out.push(...answerFindings(unit, unit.answer));
    if (unit.answer.text.trim()) out.push(...answerMathFindings(unit.answer));
  }
  return out;
}

function emptyProblem(doc: ProblemDocument, unit: ProblemUnit): Finding | undefined {
  if (doc.kind === 'problem') {
    // A new file without front matter is simply not written yet.
    if (!doc.frontMatter) return undefined;
    const closing = doc.frontMatter.contentSpan.end;
    return { code: 'empty-problem', severity: 'error', span: { start: closing, end: closing + 3 }, message: 'The file has front matter but no problem statement after it: write the problem below the closing `---`.' };
  }
  const field = unit.fields.find((f) => f.key === 'problem' || f.key === 'question');
  return {
    code: 'empty-problem',
    severity: 'error',
    span: field ? field.valueSpan : unit.span,
    message: field ? `The record's \`${field.key}\` is empty.` : 'The record has no `problem` (or `question`) text.',
  };
}

function nearDuplicate(unit: ProblemUnit, options: CheckOptions): Finding | undefined {
  const match = options.duplicates?.nearest(unit.statement.text);
  if (!match || match.similarity < (options.duplicateThreshold ?? DEFAULT_DUPLICATE_THRESHOLD)) return undefined;
  // The record is that benchmark problem itself (checking MATH-500 against MATH-500).
  if (unit.id !== undefined && unit.id === match.id) return undefined;
  return {
    code: 'near-duplicate',
    severity: 'warning',
    span: unit.titleSpan,
    message: `Near-duplicate of ${match.dataset} ${match.id} (similarity ${match.similarity.toFixed(2)}): a contamination risk if this problem is used for evaluation.`,
    duplicate: match,
  };
}
