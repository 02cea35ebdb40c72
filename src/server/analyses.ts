/** One analysis (parse + check) per document version, shared by every feature: diagnostics, hovers,
 * completion, code actions, lenses and hints all read the same result instead of re-checking. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkProblemDocument } from '../core/authoring/checks';
import { parseProblemDocument } from '../core/authoring/problemDocument';
import type { CheckOptions, Finding, ProblemDocument } from '../core/authoring/types';

export interface Analysis {
  problem: ProblemDocument;
  findings: Finding[];
  /** Changes when the document or the check settings change (pull diagnostics' resultId). */
  resultId: string;
}

export class Analyses {
  private readonly cache = new Map<string, Analysis>();
  private generation = 0;

  constructor(private readonly options: () => Omit<CheckOptions, 'isCancelled'>) {}

  /** Settings or datasets changed: every cached analysis is stale. */
  invalidate(): void {
    this.generation++;
    this.cache.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** Undefined when `isCancelled` turned true: a check cut short is neither returned nor kept. */
  get(document: TextDocument, isCancelled: () => boolean = () => false): Analysis | undefined {
    const resultId = `${this.generation}:${document.version}`;
    const cached = this.cache.get(document.uri);
    if (cached?.resultId === resultId) return cached;
    const problem = parseProblemDocument(document.getText(), fileNameOf(document));
    const findings = problem.kind === 'other' ? [] : checkProblemDocument(problem, { ...this.options(), isCancelled });
    if (isCancelled()) return undefined;
    const analysis = { problem, findings, resultId };
    this.cache.set(document.uri, analysis);
    return analysis;
  }
}

/** The name the document kind is read from. An untitled buffer in the problem language has no
 * `.problem.md` name yet but is one. */
function fileNameOf(document: TextDocument): string {
  const name = decodeURIComponent(document.uri.slice(document.uri.lastIndexOf('/') + 1));
  const known = /\.(problem\.md|jsonl)$/i.test(name);
  return !known && document.languageId === 'math-problem' ? `${name}.problem.md` : name;
}
