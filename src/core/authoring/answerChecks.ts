/** The reference answer as the grader will see it: present, not empty, readable as math, and written
 * the way answer keys conventionally are. */
import { parseAnswer, type Answer } from '../answer/parse';
import { toMathForm } from '../answer/symbolic';
import { unmatchedBraces } from './braces';
import { setFrontMatterKey } from './frontMatterEdit';
import type { Finding, MappedText, ProblemDocument, ProblemUnit, Span } from './types';

export function missingAnswerFindings(doc: ProblemDocument, unit: ProblemUnit): Finding[] {
  if (unit.answer !== undefined) return [];
  const edit = doc.kind === 'problem'
    ? setFrontMatterKey(doc.text, 'answer', '')
    : unit.insertAt !== undefined
      ? { span: { start: unit.insertAt, end: unit.insertAt }, newText: `${unit.fields.length ? ', ' : ''}"answer": ""` }
      : undefined;
  const where = doc.kind === 'problem' ? (doc.frontMatter ? 'to the front matter' : 'in a new front matter block') : 'to the record';
  return [{
    code: 'missing-answer',
    severity: 'warning',
    span: unit.titleSpan,
    message: 'No `answer`: runs cannot mark chains correct or wrong, only group them by vote.',
    fixes: edit ? [{ title: `Add \`answer:\` ${where}`, edits: [edit], preferred: true }] : undefined,
  }];
}

export function answerFindings(unit: ProblemUnit, answer: MappedText): Finding[] {
  const field = unit.fields.find((f) => f.valueSpan.start <= answer.offsetAt(0) && answer.offsetAt(0) <= f.valueSpan.end);
  if (!answer.text.trim()) {
    const span = field ? { start: field.keySpan.start, end: field.valueSpan.end } : spanOf(answer, 0, 0);
    return [{ code: 'empty-answer', severity: 'warning', span, message: 'The answer is empty: runs cannot mark chains correct or wrong, only group them by vote.' }];
  }
  return [...unparsedFindings(answer), ...preferFracFindings(answer)];
}

function spanOf(text: MappedText, from: number, to: number): Span {
  return { start: text.offsetAt(from), end: text.offsetAt(to) };
}

/** Parts the grader compares as expressions but whose LaTeX its math parser rejects: such a part is
 * then only equal to the same text, so an equivalent form (`0.5` for `\frac{1}{2}`) is graded wrong. */
function unparsedFindings(answer: MappedText): Finding[] {
  let parsed: Answer;
  try {
    parsed = parseAnswer(answer.text);
  } catch {
    return [unparsed(answer, answer.text, 'the answer parser fails on it')];
  }
  const unreadable = expressions(parsed).find((latex) => toMathForm(latex) === null);
  if (unreadable === undefined) return [];
  return [unparsed(answer, unreadable, unmatchedBraces(unreadable).length ? 'unbalanced braces' : 'the math parser rejects it')];
}

function unparsed(answer: MappedText, latex: string, why: string): Finding {
  const at = answer.text.indexOf(latex);
  const span = at >= 0 ? spanOf(answer, at, at + latex.length) : spanOf(answer, 0, answer.text.length);
  return {
    code: 'answer-unparsed',
    severity: 'warning',
    span,
    message: `The grader cannot read \`${latex}\` as math (${why}); chains' answers would be compared with it as text, so an equivalent form would be marked wrong.`,
  };
}

/** The LaTeX of every part the grader compares symbolically. Words (`odd`, `\text{Evelyn}`), choice
 * letters and plain numbers are compared as such and need no math parser. */
function expressions(a: Answer): string[] {
  switch (a.kind) {
    case 'expr':
      return /^[a-zA-Z]+$/.test(a.latex) ? [] : [a.latex];
    case 'tuple':
    case 'set':
    case 'union':
      return a.items.flatMap(expressions);
    case 'matrix':
      return a.rows.flat().flatMap(expressions);
    case 'named':
      return expressions(a.value);
    case 'relation':
      return a.sides;
    default:
      return [];
  }
}

/** `\dfrac`/`\tfrac` only change how a fraction is drawn; the grader reads them as `\frac`. */
function preferFracFindings(answer: MappedText): Finding[] {
  const out: Finding[] = [];
  const re = /\\([dt])frac(?![a-zA-Z])/g;
  for (let m = re.exec(answer.text); m; m = re.exec(answer.text)) {
    const letter = spanOf(answer, m.index + 1, m.index + 2);
    out.push({
      code: 'prefer-frac',
      severity: 'hint',
      span: spanOf(answer, m.index, m.index + m[0].length),
      message: `Answer keys conventionally write \`\\frac\`; the grader treats \`\\${m[1]}frac\` alike, so this is only about consistency.`,
      fixes: [{ title: 'Write `\\frac`', edits: [{ span: letter, newText: '' }], preferred: true }],
    });
  }
  return out;
}
