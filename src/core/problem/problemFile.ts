/** `*.problem.md`: YAML front matter (id, answer, level, subject, source, tags) and a Markdown +
 * LaTeX body that is the problem statement. Read through the authoring reader (parseProblemFileDocument),
 * so Solve sends the model exactly the statement the editor's checks, lenses and inline results are
 * about, and refuses exactly what they report as unreadable. */
import { parseProblemFileDocument } from '../authoring/problemDocument';
import type { Problem } from './problem';

export type { Problem } from './problem';

export class ProblemFileError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'ProblemFileError';
  }
}

export function parseProblemFile(content: string): Problem {
  const document = parseProblemFileDocument(content);
  const [unit] = document.units;
  const lineAt = (offset: number) => lineOf(content, offset);
  const readError = unit.readErrors?.[0];
  if (readError) throw new ProblemFileError(readError.message, lineAt(readError.span.start));
  const text = unit.statement.text;
  if (!text) {
    if (!document.frontMatter) throw new ProblemFileError('the file is empty: write the problem statement (optionally after a --- front matter block)');
    throw new ProblemFileError('the file has front matter but no problem statement after it: write the problem below the closing ---', lineAt(document.frontMatter.contentSpan.end));
  }
  if (!document.frontMatter) return { text };
  const value = (key: string) => unit.fields.find((f) => f.key === key)?.value;
  const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  const rawLevel = value('level');
  const level = rawLevel === undefined || rawLevel === null ? undefined : Number(String(rawLevel).replace(/^\s*Level\s*/i, ''));
  const tags = value('tags');
  // An empty answer (`answer:`) is no answer: there is nothing to grade against.
  const answer = unit.answer?.text.trim() ? unit.answer.text : undefined;
  return {
    id: unit.id,
    answer,
    level: level !== undefined && Number.isFinite(level) ? level : undefined,
    subject: str(value('subject')),
    source: str(value('source')),
    tags: Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' ? [tags] : undefined,
    text,
  };
}

/** 1-based line of `offset`. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
