/** `*.problem.md`: YAML front matter (id, answer, level, subject, source, tags) and a Markdown +
 * LaTeX body that is the problem statement. */
import { parseDocument } from 'yaml';

export interface Problem {
  id?: string;
  answer?: string;
  level?: number;
  subject?: string;
  source?: string;
  tags?: string[];
  /** The problem statement (the Markdown body). */
  text: string;
}

export class ProblemFileError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'ProblemFileError';
  }
}

// The YAML is optional: `---` right after `---` is an empty front matter, as the editor's checks read it.
const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/;

export function parseProblemFile(content: string): Problem {
  const text = content.replace(/^\uFEFF/, '');
  const match = FRONT_MATTER.exec(text);
  if (!match) {
    const body = text.trim();
    if (!body) throw new ProblemFileError('the file is empty: write the problem statement (optionally after a --- front matter block)');
    return { text: body };
  }
  const doc = parseDocument(match[1] ?? '');
  if (doc.errors.length) {
    const err = doc.errors[0];
    const line = err.linePos?.[0].line;
    throw new ProblemFileError(`front matter is not valid YAML: ${err.message.split('\n')[0]}`, line === undefined ? undefined : line + 1);
  }
  const meta = (doc.toJS() ?? {}) as Record<string, unknown>;
  if (typeof meta !== 'object' || Array.isArray(meta)) throw new ProblemFileError('front matter must be a YAML mapping (key: value lines)', 2);
  const body = text.slice(match[0].length).trim();
  if (!body) throw new ProblemFileError('the file has front matter but no problem statement after it');
  const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  const level = meta.level === undefined ? undefined : Number(String(meta.level).replace(/^Level\s*/i, ''));
  return {
    id: str(meta.id),
    answer: str(meta.answer),
    level: level !== undefined && Number.isFinite(level) ? level : undefined,
    subject: str(meta.subject),
    source: str(meta.source),
    tags: Array.isArray(meta.tags) ? meta.tags.map(String) : typeof meta.tags === 'string' ? [meta.tags] : undefined,
    text: body,
  };
}
