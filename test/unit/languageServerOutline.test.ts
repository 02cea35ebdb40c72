import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { SymbolKind, type DocumentSymbol, type FoldingRange, type Range, type SymbolInformation } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseProblemDocument } from '../../src/core/authoring/problemDocument';
import { foldingRangesFor } from '../../src/server/folding';
import { documentSymbolsFor } from '../../src/server/symbols';
import { LspClient, PULL_CLIENT, PUSH_CLIENT } from '../support/lspClient';
import { lspClientStarter } from '../support/lspTest';

const MATH500 = path.resolve(__dirname, '../../media/samples/math500.jsonl');

/** Every kind of fold: front matter, nested sections, `$$` and `\[` math, a fence (with a `#` line that
 * is code, not a heading) and an `[asy]` drawing; the `$$` and `\[` on one line do not fold. */
const PROBLEM = `---
id: drafts/circle
answer: \\frac{\\sqrt{2}}{2}
tags: [geometry, circles]
---

# Circle with $r = \\sqrt{2}$

A circle of radius $\\frac{1}{2}$ is drawn.

## Given

$$
x^2 + y^2 = r^2
$$

### Detail

\`\`\`python
# not a heading
print(1)
\`\`\`

## Asked

[asy]
draw(unitcircle);
[/asy]

\\[
a = b
\\]

Find $r$, where $$r > 0$$.

# Notes
`;
const URI = 'file:///authoring/drafts/circle.problem.md';
const SET_URI = 'file:///authoring/sets/math500.jsonl';

const start = lspClientStarter();

const folding = (client: LspClient, uri = URI) => client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
const symbols = <T>(client: LspClient, uri = URI) => client.request<T[]>('textDocument/documentSymbol', { textDocument: { uri } });
/** The 0-based line of the first line of PROBLEM that starts with `prefix` (after `after`). */
function line(prefix: string, after = -1): number {
  const at = PROBLEM.split('\n').findIndex((l, i) => i > after && l.startsWith(prefix));
  assert.ok(at >= 0, prefix);
  return at;
}
const lineRange = (from: number, to: number, endCharacter = 0): Range => ({ start: { line: from, character: 0 }, end: { line: to, character: endCharacter } });

test('folding ranges: front matter, sections under headings, display math, code and [asy] blocks spanning lines', async () => {
  const client = await start({ capabilities: PULL_CLIENT });
  assert.equal(client.initializeResult.capabilities.foldingRangeProvider, true);
  await client.open(URI, PROBLEM);
  const expected: FoldingRange[] = [
    { startLine: 0, endLine: 4, kind: 'region' },
    // A section ends at its last non-blank line, before the next heading of its level or above.
    { startLine: line('# Circle'), endLine: line('Find $r$') },
    { startLine: line('## Given'), endLine: line('```', line('```python')) },
    { startLine: line('$$'), endLine: line('$$', line('$$')) },
    { startLine: line('### Detail'), endLine: line('```', line('```python')) },
    { startLine: line('```python'), endLine: line('```', line('```python')) },
    { startLine: line('## Asked'), endLine: line('Find $r$') },
    { startLine: line('[asy]'), endLine: line('[/asy]') },
    { startLine: line('\\['), endLine: line('\\]') },
  ];
  assert.deepEqual(await folding(client), expected);

  // Edits are followed: a heading removed takes its fold with it.
  const at = PROBLEM.indexOf('### Detail');
  await client.replace(URI, at, at + 4, '');
  assert.deepEqual((await folding(client)).map((r) => r.startLine), expected.filter((r) => r.startLine !== line('### Detail')).map((r) => r.startLine));
  assert.equal(await client.stop(), 0, client.stderr);
});

test('folding ranges: a character-folding client keeps the delimiters visible; rangeLimit keeps the first ranges', async () => {
  const chars = await start({ capabilities: PUSH_CLIENT });
  await chars.open(URI, PROBLEM);
  const ranges = await folding(chars);
  assert.deepEqual(ranges.find((r) => r.startLine === 0), { startLine: 0, endLine: 4, kind: 'region', endCharacter: 0 });
  assert.deepEqual(ranges.find((r) => r.startLine === line('$$')), { startLine: line('$$'), endLine: line('$$', line('$$')), startCharacter: 2, endCharacter: 0 });
  assert.deepEqual(ranges.find((r) => r.startLine === line('\\[')), { startLine: line('\\['), endLine: line('\\]'), startCharacter: 2, endCharacter: 0 });
  // Code and sections fold whole lines either way.
  assert.deepEqual(ranges.find((r) => r.startLine === line('```python')), { startLine: line('```python'), endLine: line('```', line('```python')) });

  const limited = await start({ capabilities: { ...PULL_CLIENT, textDocument: { ...PULL_CLIENT.textDocument, foldingRange: { lineFoldingOnly: true, rangeLimit: 3 } } } });
  await limited.open(URI, PROBLEM);
  assert.deepEqual((await folding(limited)).map((r) => r.startLine), [0, line('# Circle'), line('## Given')]);
});

test('a problem set has no folding ranges: each record is one line', async () => {
  const client = await start();
  await client.open(SET_URI, fs.readFileSync(MATH500, 'utf8').split('\n').slice(0, 3).join('\n'), 'jsonl');
  assert.deepEqual(await folding(client, SET_URI), []);
});

test('document symbols of a problem file: the front matter with its keys, the headings as a tree', async () => {
  const client = await start({ capabilities: PULL_CLIENT });
  assert.equal(client.initializeResult.capabilities.documentSymbolProvider, true);
  await client.open(URI, PROBLEM);
  const tree = await symbols<DocumentSymbol>(client);
  const shape = (s: DocumentSymbol): unknown => [s.name, s.detail ?? '', s.kind, (s.children ?? []).map(shape)];
  assert.deepEqual(tree.map(shape), [
    ['front matter', '', SymbolKind.Module, [
      ['id', 'drafts/circle', SymbolKind.Property, []],
      // Values as written: the LaTeX is what the grader compares.
      ['answer', '\\frac{\\sqrt{2}}{2}', SymbolKind.Property, []],
      ['tags', '["geometry","circles"]', SymbolKind.Property, []],
    ]],
    // Heading names are plain text: math read by plainMath.
    ['Circle with r = √2', '', SymbolKind.String, [
      ['Given', '', SymbolKind.String, [['Detail', '', SymbolKind.String, []]]],
      ['Asked', '', SymbolKind.String, []],
    ]],
    ['Notes', '', SymbolKind.String, []],
  ]);
  const [front, circle] = tree;
  assert.deepEqual(front.range, lineRange(0, 5));
  assert.deepEqual(front.selectionRange, { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } });
  assert.deepEqual(front.children![1].selectionRange, { start: { line: 2, character: 0 }, end: { line: 2, character: 'answer'.length } });
  // A heading's range is its section (what the outline highlights); its selection range is the heading line.
  const findLine = line('Find $r$');
  assert.deepEqual(circle.range, lineRange(line('# Circle'), findLine, PROBLEM.split('\n')[findLine].length));
  assert.deepEqual(circle.selectionRange, lineRange(line('# Circle'), line('# Circle'), '# Circle with $r = \\sqrt{2}$'.length));
});

test('a client without hierarchical symbols gets them flat, each naming its container', async () => {
  const client = await start({ capabilities: PUSH_CLIENT });
  await client.open(URI, PROBLEM);
  const flat = await symbols<SymbolInformation>(client);
  assert.deepEqual(flat.map((s) => [s.name, s.containerName ?? '']), [
    ['front matter', ''],
    ['id', 'front matter'],
    ['answer', 'front matter'],
    ['tags', 'front matter'],
    ['Circle with r = √2', ''],
    ['Given', 'Circle with r = √2'],
    ['Detail', 'Given'],
    ['Asked', 'Circle with r = √2'],
    ['Notes', ''],
  ]);
  assert.ok(flat.every((s) => s.location.uri === URI));
  assert.equal(flat.find((s) => s.name === 'Detail')!.location.range.start.line, line('### Detail'));
});

test('document symbols of MATH-500: one per record, named by its id, the statement as plain text, the line as range', async () => {
  const text = fs.readFileSync(MATH500, 'utf8');
  const lines = text.split('\n');
  const hierarchical = await start({ capabilities: PULL_CLIENT });
  await hierarchical.open(SET_URI, text, 'jsonl');
  const records = await symbols<DocumentSymbol>(hierarchical, SET_URI);
  assert.equal(records.length, 500);
  assert.ok(records.every((s) => s.kind === SymbolKind.Object && !s.children?.length));
  const at = records.findIndex((s) => s.name === 'test/algebra/2584.json');
  assert.ok(at >= 0);
  const record = records[at];
  assert.deepEqual(record.range, lineRange(at, at, lines[at].length));
  assert.deepEqual(record.selectionRange, record.range);
  // `$f(x) = \frac{3x-2}{x-2}$` as plain text, cut between words to one line of at most 60 characters.
  assert.equal(record.detail, 'If f(x) = (3x-2)/(x-2), what is the value of f(-2)…');
  assert.ok(records.every((s) => s.detail && s.detail.length <= 60 && !s.detail.includes('\n')), 'every detail is one line');
  assert.equal(new Set(records.map((s) => s.name)).size, 500);

  const flat = await start({ capabilities: PUSH_CLIENT });
  await flat.open(SET_URI, text, 'jsonl');
  const infos = await symbols<SymbolInformation>(flat, SET_URI);
  assert.deepEqual(infos.map((s) => s.name), records.map((s) => s.name));
  assert.deepEqual(infos[at].location, { uri: SET_URI, range: record.range });
});

test('a record without an id is named by its line', async () => {
  const client = await start();
  const text = `${JSON.stringify({ problem: 'What is $1+1$?', answer: '2' })}\n\n${JSON.stringify({ problem: 'Compute $\\dfrac{6}{3}$.', answer: '2', unique_id: 'x/1' })}\n`;
  await client.open(SET_URI, text, 'jsonl');
  const records = await symbols<DocumentSymbol>(client, SET_URI);
  assert.deepEqual(records.map((s) => [s.name, s.detail, s.range.start.line]), [
    ['line 1', 'What is 1+1?', 0],
    ['x/1', 'Compute 6/3.', 2],
  ]);
});

/** Pieces of Markdown structure and of the ways it breaks mid-edit. */
const piece = fc.constantFrom(
  '---\n', '---', '\n', '\r\n', '\n\n', 'id: a\n', '"": x\n', 'answer: 2\n', 'tags: [a, ', '# ', '## ', '###### ', '#', ' #', 'Title', ' ##',
  '$$', '$', '\\[', '\\]', '```', '~~~', '    ', '[asy]', '[/asy]', 'x^2', '\\frac{1}{2}', '😀', '\uFEFF', '{"problem": "', '", "unique_id": "', '"}',
);
const source = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));

test('any text gets folding ranges inside it and symbols an editor accepts (a name, the selection inside the range)', () => {
  fc.assert(
    fc.property(source, fc.constantFrom('a.problem.md', 'a.jsonl'), fc.boolean(), (body, name, lineFoldingOnly) => {
      // A problem set is recognised by its first record (here with an empty id, which is no name).
      const text = name.endsWith('.jsonl') ? `{"problem": "What is $1+1$?", "unique_id": ""}\n${body}` : body;
      const document = TextDocument.create(`file:///${name}`, 'math-problem', 1, text);
      const problem = parseProblemDocument(text, name);
      for (const r of foldingRangesFor(document, problem, { lineFoldingOnly })) {
        assert.ok(r.startLine < r.endLine && r.endLine < document.lineCount, JSON.stringify(r));
      }
      const inside = (inner: Range, outer: Range) => document.offsetAt(outer.start) <= document.offsetAt(inner.start) && document.offsetAt(inner.end) <= document.offsetAt(outer.end);
      const check = (s: DocumentSymbol): void => {
        assert.ok(s.name, 'a symbol has a name');
        assert.ok(inside(s.selectionRange, s.range), `${s.name}: the selection lies inside the range`);
        s.children?.forEach(check);
      };
      (documentSymbolsFor(document, problem, true) as DocumentSymbol[]).forEach(check);
    }),
    { numRuns: 2000 },
  );
});
