/** The problem a command works on, read from a document's text: a whole `*.problem.md` file, or one
 * record of a JSONL problem set read through the authoring model (so a record is the problem the
 * editor's checks, lenses and inline results are about, escapes decoded the same way). */
import { parseProblemDocument } from '../../core/authoring/problemDocument';
import { problemSlug } from '../../core/problem/dataset';
import { parseProblemFile, type Problem } from '../../core/problem/problemFile';

/** Where a problem is: a file name (the kind of document is read from it) and, in a problem set, the
 * record's 1-based line. */
export interface ProblemAt {
  fileName: string;
  line?: number;
}

/** Throws an Error whose message says, for the user, why there is no problem there. */
export function readProblem(text: string, at: ProblemAt): Problem {
  if (at.line === undefined) return parseProblemFile(text);
  const document = parseProblemDocument(text, at.fileName);
  if (document.kind !== 'problem-set') throw new Error('it is not a problem set (one JSON record with a "problem" per line)');
  const unit = document.units.find((u) => u.line === at.line);
  if (!unit) throw new Error(`line ${at.line} holds no record: put the cursor on a record, or use the ▶ Solve lens above one`);
  const readError = unit.readErrors?.[0];
  if (readError) throw new Error(`line ${at.line}: ${readError.message}`);
  const statement = unit.statement.text.trim();
  if (!statement) throw new Error(`line ${at.line} has no "problem" text`);
  // An empty answer is no answer, as in a problem file: there is nothing to grade against.
  const answer = unit.answer?.text.trim();
  return { ...(unit.id !== undefined && { id: unit.id }), ...(answer && { answer }), text: statement };
}

/** The start of a run file's name: a problem file's name without `.md`; a record's id made path-safe
 * (as `reasonscope convert` names problem files), else `<set>-line<N>`. */
export function problemStem(at: ProblemAt, id?: string): string {
  const name = at.fileName.replace(/\.md$/, '');
  if (at.line === undefined) return name;
  return problemSlug(id) || `${name.replace(/\.jsonl$/i, '')}-line${at.line}`;
}
