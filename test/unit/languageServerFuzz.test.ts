import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import type { CodeAction, CodeLens, CompletionItem, Diagnostic, DocumentDiagnosticReport, Hover, InlayHint, Position, Range } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PROBLEM_RUN_RESULTS } from '../../src/server/protocol';
import { LspClient } from '../support/lspClient';

const MATH500 = path.resolve(__dirname, '../../media/samples/math500.jsonl');

/** Pieces of problem files and of the ways they break mid-edit. */
const piece = fc.constantFrom(
  '---\n', '---', '\n', '\r\n', 'answer: ', 'levle: 3\n', 'subject: Algebra\n', 'level: 9', 'tags: [a, ', '# Title\n', '$', '$$', '\\(', '\\)', '\\[',
  '\\frac{', '}{', '}', '{', '\\dfrac{14}{3}', '\\sqrt', '^^', '\\', '\\\\', 'x^2', ' ', 'What is $f(-2)$?', '"', '{"problem": "', '", "answer": "',
  '"}', '\\"', '😀', '\u0301', '\t', ':', '`', '[asy]', 'If $f(x) = \\frac{3x-2}{x-2}$, what is the value of $f(-2) +f(-1)+f(0)$?',
);
const insertText = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));
/** An edit as fractions of the current length, so it always lands inside the document. */
const edit = fc.record({ from: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.nat({ max: 30 }), text: insertText });
const step = fc.record({ edits: fc.array(edit, { minLength: 1, maxLength: 3 }), probe: fc.double({ min: 0, max: 1, noNaN: true }) });

function assertInside(document: TextDocument, range: Range | Position, what: string): void {
  const positions = 'start' in range ? [range.start, range.end] : [range];
  for (const p of positions) {
    assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < document.lineCount, `${what}: line ${p.line} of ${document.lineCount}`);
    const lineLength = document.getText({ start: { line: p.line, character: 0 }, end: { line: p.line + 1, character: 0 } }).replace(/\r?\n$/, '').length;
    assert.ok(p.character >= 0 && p.character <= lineLength, `${what}: character ${p.character} of ${lineLength} on line ${p.line}`);
  }
  if ('start' in range) assert.ok(document.offsetAt(range.start) <= document.offsetAt(range.end), `${what}: reversed range`);
}

const FILES = [
  { uri: 'file:///authoring/fuzz/draft.problem.md', languageId: 'math-problem', text: '---\nanswer: \\dfrac{14}{3}\nlevle: 3\n---\n\n# Sum\n\nIf $f(x) = \\frac{3x-2}{x-2}$, what is $f(0)$?\n' },
  { uri: 'file:///authoring/fuzz/set.jsonl', languageId: 'jsonl', text: '{"problem": "What is $1+1$?", "answer": "2", "unique_id": "a"}\n{"problem": "If $f(x) = \\\\frac{3x-2}{x-2}$, what is the value of $f(-2) +f(-1)+f(0)$?", "answer": "\\\\frac{14}{3}"}\n' },
];

test('random incremental edits never crash the server, and every range it answers with lies inside the document', { timeout: 240_000 }, async () => {
  const client = await LspClient.start({ initializationOptions: { benchmarks: [{ name: 'MATH-500', path: MATH500 }] } });
  let runs = 0;
  try {
    for (const f of FILES) await client.open(f.uri, f.text, f.languageId);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FILES.map((f) => f.uri)), step, async (uri, { edits, probe }) => {
        // One change event of several edits, each positioned against the text the previous ones left
        // (LSP applies them in order): worked out on a scratch copy.
        const scratch = TextDocument.create(uri, 'scratch', 0, client.doc(uri).getText());
        const changes = edits.map((e) => {
          const length = scratch.getText().length;
          const start = Math.floor(e.from * length);
          const change = { range: { start: scratch.positionAt(start), end: scratch.positionAt(Math.min(length, start + e.length)) }, text: e.text };
          TextDocument.update(scratch, [change], scratch.version + 1);
          return change;
        });
        const document = await client.change(uri, changes);
        assert.equal(document.getText(), scratch.getText());
        runs++;
        const text = document.getText();
        const at = document.positionAt(Math.floor(probe * text.length));
        const whole = { start: { line: 0, character: 0 }, end: document.positionAt(text.length) };
        const id = { textDocument: { uri } };
        await client.notify(PROBLEM_RUN_RESULTS, { results: [{ uri, statement: text.slice(text.indexOf('\n#') + 1), runFile: '/r.run.jsonl', model: 'm', strategy: 'cot', status: 'completed', answered: 1, correct: 1, majority: '2', majorityCorrect: true, finishedAt: 'now' }] });

        const report = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', id);
        const diagnostics: Diagnostic[] = report.kind === 'full' ? report.items : [];
        diagnostics.forEach((d) => assertInside(document, d.range, `diagnostic ${String(d.code)}`));
        const hover = await client.request<Hover | null>('textDocument/hover', { ...id, position: at });
        if (hover?.range) assertInside(document, hover.range, 'hover');
        for (const item of await client.request<CompletionItem[]>('textDocument/completion', { ...id, position: at })) {
          if (item.textEdit && 'range' in item.textEdit) assertInside(document, item.textEdit.range, `completion ${item.label}`);
        }
        for (const action of await client.request<CodeAction[]>('textDocument/codeAction', { ...id, range: whole, context: { diagnostics } })) {
          for (const e of action.edit?.changes?.[uri] ?? []) assertInside(document, e.range, `fix ${action.title}`);
        }
        for (const lens of await client.request<CodeLens[]>('textDocument/codeLens', id)) assertInside(document, lens.range, 'lens');
        for (const hint of await client.request<InlayHint[]>('textDocument/inlayHint', { ...id, range: whole })) assertInside(document, hint.position, 'inlay hint');
      }),
      { numRuns: 150, seed: 23 },
    );
    assert.equal(runs, 150);
    assert.equal(client.process.exitCode, null, client.stderr);
    assert.doesNotMatch(client.stderr, /Error/);
    assert.equal(await client.stop(), 0, client.stderr);
  } finally {
    client.kill();
  }
});
