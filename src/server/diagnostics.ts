/** Problem-file checks, independent of the LSP plumbing so they are unit-testable. */
import { parseProblemFile, ProblemFileError } from '../core/problem/problemFile';

export interface ProblemDiagnostic {
  severity: 'error' | 'warning' | 'info';
  /** Zero-based line. */
  line: number;
  message: string;
}

export function checkProblemText(text: string): ProblemDiagnostic[] {
  try {
    const problem = parseProblemFile(text);
    const out: ProblemDiagnostic[] = [];
    if (problem.answer === undefined && text.startsWith('---')) {
      out.push({ severity: 'info', line: 0, message: 'No `answer:` in the front matter: runs cannot mark chains correct or wrong, only group them by vote.' });
    }
    if (!/\$|\\\(|\\\[|\d/.test(problem.text)) {
      const line = text.split('\n').findIndex((l) => l.trim() === problem.text.split('\n')[0].trim());
      out.push({ severity: 'info', line: Math.max(0, line), message: 'The statement has no math or numbers; is it a math problem?' });
    }
    return out;
  } catch (err) {
    if (err instanceof ProblemFileError) return [{ severity: 'error', line: Math.max(0, (err.line ?? 1) - 1), message: err.message.replace(/^line \d+: /, '') }];
    throw err;
  }
}
