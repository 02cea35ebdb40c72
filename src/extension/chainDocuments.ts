/** Read-only documents for a chain of the tree (root → chosen node), under the
 * `reasonscope-chain:` scheme so they are never mistaken for files on disk. */
import * as vscode from 'vscode';
import type { RunEvent, RunHeader } from '../core/trace/schema';
import { pathTo, replay } from '../core/trace/tree';

export const CHAIN_SCHEME = 'reasonscope-chain';

export class ChainDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This chain is no longer in memory; open its run again.';
  }

  async open(header: RunHeader, events: RunEvent[], nodeId: string): Promise<void> {
    const tree = replay(header, events);
    const path = pathTo(tree, nodeId);
    if (path.length === 0) return;
    const last = path[path.length - 1];
    const name = last.sample === undefined ? nodeId : `chain ${last.sample + 1}`;
    const uri = vscode.Uri.from({ scheme: CHAIN_SCHEME, path: `/${header.runId}/${name.replace(/\s+/g, '-')}-${nodeId}.md` });
    const [root, ...rest] = path;
    const lines = [
      `<!-- ${header.backend.model} · ${header.strategy.name} · run ${header.runId} -->`,
      '',
      '**Problem.** ' + root.text,
      '',
      '---',
      '',
      // The answer as extracted: math stays math, a worded answer ("the answer is Monday") stays words.
      ...rest.map((n) => (n.kind === 'answer' ? `**Answer:** ${/[\\^_{}=]|\d/.test(n.text) ? `$${n.text}$` : n.text}` : n.text)).flatMap((t) => [t, '']),
    ];
    this.texts.set(uri.toString(), lines.join('\n'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}
