import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CodeAction, CodeLens, CompletionItem, Diagnostic, DocumentDiagnosticReport, Hover, InlayHint, MarkupContent, TextEdit } from 'vscode-languageserver/node';
import { COMMANDS, PROBLEM_RUN_RESULTS, type ProblemRunResult } from '../../src/server/protocol';
import { CancellationTokenSource, LspClient, pathUri, PULL_CLIENT, PUSH_CLIENT } from '../support/lspClient';
import { lspClientStarter } from '../support/lspTest';

const MATH500 = path.resolve(__dirname, '../../media/samples/math500.jsonl');
const BENCHMARKS = { benchmarks: [{ name: 'MATH-500', path: MATH500 }] };

/** MATH-500's test/algebra/2584 with planted mistakes: a misspelt key, `\dfrac` in the answer, an unclosed `$`. */
const PLANTED = `---
id: drafts/rational-sum-variant
answer: \\dfrac{14}{3}
levle: 3
subject: Algebra
---

# Rational function sum

If $f(x) = \\frac{3x-2}{x-2}$, what is the value of $f(-2) +f(-1)+f(0)$? Express your answer as a common fraction.

Hint: the sum lies between $4 and 5.
`;
const URI = 'file:///authoring/drafts/rational-sum.problem.md';

const start = lspClientStarter();

async function pull(client: LspClient, uri = URI): Promise<Diagnostic[]> {
  const report = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return report.kind === 'full' ? report.items : [];
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();
const markdownOf = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? '';
const labels = (items: CompletionItem[] | null) => (items ?? []).map((i) => i.label);

function applyEdits(client: LspClient, uri: string, edits: TextEdit[]): Promise<unknown> {
  return client.change(uri, edits.map((e) => ({ range: e.range, text: e.newText })));
}

test('a pull client is offered pull diagnostics and every feature; a push client gets diagnostics pushed per version', async () => {
  const puller = await start({ capabilities: PULL_CLIENT });
  const caps = puller.initializeResult.capabilities;
  assert.deepEqual(caps.diagnosticProvider, { interFileDependencies: false, workspaceDiagnostics: false });
  assert.equal(caps.textDocumentSync, 2); // incremental
  assert.equal(caps.hoverProvider, true);
  assert.deepEqual(caps.completionProvider?.triggerCharacters, ['\\', ':', ' ']);
  assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix'] });
  assert.ok(caps.codeLensProvider && caps.inlayHintProvider);

  const pusher = await start({ capabilities: PUSH_CLIENT });
  assert.equal(pusher.initializeResult.capabilities.diagnosticProvider, undefined);
  await pusher.open(URI, PLANTED);
  const pushed = await pusher.pushedDiagnostics(URI);
  assert.ok(codes(pushed.diagnostics).includes('unknown-key'));
  await pusher.close(URI);
  assert.deepEqual((await pusher.pushedDiagnosticsWhere(URI, (p) => p.diagnostics.length === 0)).diagnostics, []);
  assert.equal(await pusher.stop(), 0, pusher.stderr);
  assert.equal(await puller.stop(), 0, puller.stderr);
});

test('planted mistakes are reported with their exact ranges and codes, the near-duplicate linked to its MATH-500 line', async () => {
  const client = await start({ initializationOptions: BENCHMARKS });
  await client.open(URI, PLANTED);
  const items = await pull(client);
  assert.deepEqual(codes(items), ['near-duplicate', 'prefer-frac', 'unbalanced-math', 'unknown-key']);
  const at = (code: string) => items.find((d) => d.code === code)!;
  assert.deepEqual(at('unknown-key').range, { start: client.positionOf(URI, 'levle'), end: client.positionOf(URI, 'levle', 5) });
  assert.deepEqual(at('prefer-frac').range.start, client.positionOf(URI, '\\dfrac'));
  assert.deepEqual(at('unbalanced-math').range.start, client.positionOf(URI, '$4'));
  assert.equal(at('unbalanced-math').severity, 1);
  assert.ok(items.every((d) => d.source === 'reasonscope'));
  const duplicate = at('near-duplicate');
  assert.deepEqual(duplicate.range.start, client.positionOf(URI, '# Rational'));
  assert.equal(duplicate.relatedInformation?.[0].location.uri, pathUri(MATH500));
  assert.equal(duplicate.relatedInformation?.[0].location.range.start.line, 2); // the record on line 3
  assert.match(duplicate.message, /MATH-500 test\/algebra\/2584\.json/);
});

test('incremental edits update the diagnostics, pulled and pushed', async () => {
  const client = await start({ initializationOptions: BENCHMARKS });
  await client.open(URI, PLANTED);
  assert.ok(codes(await pull(client)).includes('unknown-key'));
  const levle = client.doc(URI).getText().indexOf('levle');
  await client.replace(URI, levle, levle + 5, 'level');
  assert.ok(!codes(await pull(client)).includes('unknown-key'));
  const dollar = client.doc(URI).getText().indexOf('$4');
  await client.replace(URI, dollar, dollar + 1, ''); // `4 and 5.`: the math is balanced now
  assert.deepEqual(codes(await pull(client)), ['near-duplicate', 'prefer-frac']);

  const pusher = await start({ capabilities: PUSH_CLIENT, initializationOptions: BENCHMARKS });
  await pusher.open(URI, PLANTED);
  await pusher.pushedDiagnostics(URI);
  // Two edits in one change event, as an editor sends a multi-cursor edit: applied in order.
  const text = pusher.doc(URI).getText();
  await pusher.change(URI, [
    { range: { start: pusher.doc(URI).positionAt(text.indexOf('$4')), end: pusher.doc(URI).positionAt(text.indexOf('$4') + 1) }, text: '' },
    { range: { start: pusher.positionOf(URI, 'levle'), end: pusher.positionOf(URI, 'levle', 5) }, text: 'level' },
  ]);
  const after = await pusher.pushedDiagnostics(URI);
  assert.equal(after.version, 2);
  assert.deepEqual(codes(after.diagnostics), ['near-duplicate', 'prefer-frac']);
});

test('hover: the answer as the grader reads it; the title with the benchmark twin and how to run it', async () => {
  const client = await start({ initializationOptions: BENCHMARKS });
  await client.open(URI, PLANTED);
  const answer = markdownOf(await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: client.positionOf(URI, 'frac{14', 2) }));
  assert.match(answer, /14\/3/);
  assert.match(answer, /`\\frac\{14\}\{3\}`/);
  assert.match(answer, /a number/);
  assert.ok(!answer.includes('conventionally'), 'the prefer-frac message is the diagnostic\'s, not repeated in the hover');

  const title = markdownOf(await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: client.positionOf(URI, 'function sum') }));
  assert.match(title, /MATH-500 test\/algebra\/2584\.json\*\*, 97% similar/);
  assert.match(title, /> If f\(x\) = \(3x-2\)\/\(x-2\), what is/); // the benchmark statement, as plain text
  assert.ok(!title.includes('$'), 'no math delimiters left in the plain statement');
  assert.match(title, /Not run yet.*▶ Solve/);

  const prose = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: URI }, position: client.positionOf(URI, 'Express') });
  assert.equal(prose, null);

  const unreadable = 'file:///authoring/drafts/pair.problem.md';
  await client.open(unreadable, '---\nanswer: (0, 1]\n---\nSolve $x^2 < x$.\n');
  assert.match(markdownOf(await client.request<Hover>('textDocument/hover', { textDocument: { uri: unreadable }, position: client.positionOf(unreadable, '0, 1') })), /an interval/);

  const set = 'file:///authoring/drafts/set.jsonl';
  await client.open(set, '{"question": "What is $6 \\\\cdot 7$?", "gt_answer": "42"}\n');
  assert.match(markdownOf(await client.request<Hover>('textDocument/hover', { textDocument: { uri: set }, position: client.positionOf(set, '42"', 1) })), /\*\*Answer:\*\* 42/, 'a problem set\'s gt_answer is its answer');
});

test('completion: missing front-matter keys, the values of subject, level and difficulty, LaTeX commands in math only', async () => {
  const client = await start();
  const uri = 'file:///authoring/drafts/new.problem.md';
  await client.open(uri, '---\nanswer: 3\nsubject: \nlevel: \ndifficulty: \nso\n---\n\nWhat is $\\fr$? And \\fr in prose.\n');
  const complete = (position: { line: number; character: number }) => client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position });

  const keys = await complete({ line: 5, character: 2 });
  assert.ok(labels(keys).includes('source') && labels(keys).includes('id') && labels(keys).includes('tags'));
  assert.ok(!labels(keys).includes('answer') && !labels(keys).includes('subject'), 'keys already present are not offered');
  const source = keys.find((k) => k.label === 'source')!;
  assert.deepEqual(source.textEdit, { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 2 } }, newText: 'source: ' });
  assert.ok(source.documentation);

  assert.deepEqual(labels(await complete({ line: 2, character: 9 })).slice(0, 2), ['Algebra', 'Counting & Probability']);
  assert.ok(labels(await complete({ line: 2, character: 9 })).includes('Number Theory'));
  assert.deepEqual(labels(await complete({ line: 3, character: 7 })), ['1', '2', '3', '4', '5']);
  assert.deepEqual(labels(await complete({ line: 4, character: 12 })), ['easy', 'medium', 'hard']);

  const math = await complete(client.positionOf(uri, '\\fr$', 3));
  const frac = math.find((i) => i.label === '\\frac')!;
  assert.equal(frac.insertTextFormat, 2); // snippet
  assert.deepEqual(frac.textEdit, { range: { start: client.positionOf(uri, '\\fr$'), end: client.positionOf(uri, '\\fr$', 3) }, newText: '\\\\frac{$1}{$2}' });
  for (const name of ['\\sqrt', '\\cdot', '\\pi', '\\le', '\\boxed', '\\binom', '\\left(', '\\begin{pmatrix}']) assert.ok(labels(math).includes(name), name);
  assert.ok(math.length >= 80, `${math.length} commands`);

  assert.deepEqual(await complete({ line: 6, character: 0 }), [], 'no keys on the closing `---` line');
  assert.deepEqual(await complete(client.positionOf(uri, '\\fr in', 3)), []);
  assert.deepEqual(await complete(client.positionOf(uri, 'What', 2)), []);
});

test('completion in a problem set: LaTeX commands JSON-escaped inside the math of a statement and in an answer, nowhere else', async () => {
  const client = await start();
  const uri = 'file:///authoring/sets/typing.jsonl';
  // Built from the decoded texts, so the raw line holds `\\fr` where the statement holds `\fr`.
  const record = { problem: 'Caf\u00e9: what is $x = \\fr$? And \\fr in prose, $a \\\\fr$.', answer: '\\fr', solution: '$\\fr$', unique_id: 't/1' };
  const line = JSON.stringify(record).replace('\u00e9', '\\u00e9');
  await client.open(uri, `${line}\n{"problem": "What is $1+1$?", "answer": 2}\n`, 'jsonl');
  const complete = (position: { line: number; character: number }) => client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position });

  const typed = client.positionOf(uri, '\\\\fr$?');
  const items = await complete(client.positionOf(uri, '\\\\fr$?', 4));
  const frac = items.find((i) => i.label === '\\frac')!;
  assert.equal(frac.filterText, '\\\\frac', 'matched against the raw `\\\\fr` typed');
  assert.deepEqual(frac.textEdit, { range: { start: typed, end: client.positionOf(uri, '\\\\fr$?', 4) }, newText: '\\\\\\\\frac{$1}{$2}' });
  assert.ok(items.length >= 80 && labels(items).includes('\\left('));
  const right = items.find((i) => i.label === '\\left(')!;
  assert.equal((right.textEdit as TextEdit).newText, '\\\\\\\\left( $1 \\\\\\\\right)');

  // The snippet expanded as an editor would (tab stops filled, its escapes read): valid JSON, `\frac` decoded.
  const expanded = (frac.textEdit as TextEdit).newText.replace('$1', '1').replace('$2', '2').replace(/\\(.)/g, '$1');
  await applyEdits(client, uri, [{ range: (frac.textEdit as TextEdit).range, newText: expanded }]);
  const edited = JSON.parse(client.doc(uri).getText().split('\n')[0]) as typeof record;
  assert.equal(edited.problem, 'Caf\u00e9: what is $x = \\frac{1}{2}$? And \\fr in prose, $a \\\\fr$.');

  assert.ok(labels(await complete(client.positionOf(uri, '\\\\fr"', 4))).includes('\\frac'), 'the answer is math throughout');
  assert.deepEqual(await complete(client.positionOf(uri, '\\\\fr in', 4)), [], 'prose');
  assert.deepEqual(await complete(client.positionOf(uri, '\\\\\\\\fr', 6)), [], '`\\\\` is a line break');
  assert.deepEqual(await complete(client.positionOf(uri, '\\\\fr$"', 4)), [], 'another key (solution)');
  assert.deepEqual(await complete(client.positionOf(uri, '"problem"', 3)), [], 'a key');
});

test('code actions: the fix removes the finding; a near-duplicate opens the benchmark record', async () => {
  const client = await start({ initializationOptions: BENCHMARKS });
  await client.open(URI, PLANTED);
  const diagnostics = await pull(client);
  const unknown = diagnostics.find((d) => d.code === 'unknown-key')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: unknown.range, context: { diagnostics: [unknown] } });
  const rename = actions.find((a) => a.title === 'Rename to `level`')!;
  assert.equal(rename.kind, 'quickfix');
  assert.equal(rename.isPreferred, true);
  assert.equal(rename.diagnostics?.[0].code, 'unknown-key');
  await applyEdits(client, URI, rename.edit!.changes![URI]);
  assert.match(client.doc(URI).getText(), /^level: 3$/m);
  assert.ok(!codes(await pull(client)).includes('unknown-key'));

  const title = { start: client.positionOf(URI, '# Rational'), end: client.positionOf(URI, '# Rational') };
  const open = (await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: title, context: { diagnostics: [] } }))
    .find((a) => a.command?.command === COMMANDS.openBenchmarkProblem)!;
  assert.equal(open.title, 'Open the duplicate: MATH-500 test/algebra/2584.json');
  assert.deepEqual(open.command!.arguments, [MATH500, 3]);

  const refactors = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: title, context: { diagnostics: [], only: ['refactor'] } });
  assert.deepEqual(refactors, []);
});

function runOf(statement: string, overrides: Partial<ProblemRunResult> = {}): ProblemRunResult {
  return {
    uri: URI, statement, runFile: '/authoring/.reasonscope/runs/rational-sum.run.jsonl', model: 'qwen2.5:1.5b', strategy: 'majority',
    status: 'completed', answered: 8, correct: 7, majority: '\\frac{14}{3}', majorityCorrect: true, finishedAt: '2025-06-01T10:00:00Z', ...overrides,
  };
}

test('lenses on the title pass the document URI; a run result adds "Open last run", an inline result and a title hover', async () => {
  const client = await start();
  await client.open(URI, PLANTED);
  const lenses = () => client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: URI } });
  const before = await lenses();
  assert.deepEqual(before.map((l) => [l.command?.title, l.command?.command, l.command?.arguments]), [
    ['▶ Solve', COMMANDS.solve, [URI]],
    ['Search…', COMMANDS.search, [URI]],
    ['Estimate difficulty', COMMANDS.estimateDifficulty, [URI]],
  ]);
  assert.equal(before[0].range.start.line, client.positionOf(URI, '# Rational').line);

  const statement = PLANTED.slice(PLANTED.indexOf('# Rational'));
  const refreshed = Promise.all([client.nextEvent('workspace/inlayHint/refresh'), client.nextEvent('workspace/codeLens/refresh')]);
  await client.notify(PROBLEM_RUN_RESULTS, { results: [runOf(statement)] });
  await refreshed;
  assert.deepEqual((await lenses()).map((l) => l.command?.title), ['▶ Solve', 'Search…', 'Estimate difficulty', 'Open last run']);

  const whole = { start: { line: 0, character: 0 }, end: client.doc(URI).positionAt(client.doc(URI).getText().length) };
  const hints = () => client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: URI }, range: whole });
  const [hint] = await hints();
  assert.equal(hint.label, '✓ 7/8 · majority 14/3 · easy for qwen2.5:1.5b');
  assert.deepEqual(hint.position, { line: 7, character: '# Rational function sum'.length });
  assert.match(String(hint.tooltip), /rational-sum\.run\.jsonl/);
  const title = markdownOf(await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: client.positionOf(URI, 'function sum') }));
  assert.match(title, /qwen2\.5:1\.5b/);
  assert.match(title, /Majority answer: 14\/3 — right/);
  assert.match(title, /easy for qwen2\.5:1\.5b \(7\/8 correct/);
  assert.doesNotMatch(title, /changed since/);

  // Editing the statement hides the result; undoing the edit brings it back.
  const at = client.doc(URI).getText().indexOf('common fraction');
  await client.replace(URI, at, at + 'common'.length, 'reduced');
  assert.deepEqual(await hints(), []);
  assert.match(markdownOf(await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: client.positionOf(URI, 'function sum') })), /changed since this run/);
  await client.replace(URI, at, at + 'reduced'.length, 'common');
  assert.equal((await hints())[0]?.label, hint.label);

  // A newer result for the same file replaces the older one.
  await client.notify(PROBLEM_RUN_RESULTS, { results: [runOf(statement, { status: 'cancelled', answered: 3, correct: 0, majority: '5', majorityCorrect: false })] });
  await client.nextEvent('workspace/inlayHint/refresh');
  assert.equal((await hints())[0].label, 'run cancelled · ✗ 0/3 · majority 5 · hard for qwen2.5:1.5b');
});

test('a problem set: lenses above each record pass its line; a record\'s result shows on its line only, while that record\'s statement is the one run', async () => {
  const client = await start();
  const uri = 'file:///authoring/sets/set.jsonl';
  // Three MATH-500 records, a blank line and a line that is not JSON (no lenses: nothing to run).
  const records = fs.readFileSync(path.resolve(__dirname, '../fixtures/authoring/set.jsonl'), 'utf8').trimEnd().split('\n');
  await client.open(uri, `${records.join('\r\n')}\r\n\r\n{"problem": "Unfinished\r\n`, 'jsonl');
  const lenses = () => client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const solve = (await lenses()).filter((l) => l.command?.command === COMMANDS.solve);
  assert.deepEqual(solve.map((l) => [l.range.start.line, l.command?.arguments]), [[0, [uri, 1]], [1, [uri, 2]], [2, [uri, 3]]]);
  assert.deepEqual((await lenses()).filter((l) => l.range.start.line === 1).map((l) => l.command?.title), ['▶ Solve', 'Search…', 'Estimate difficulty']);

  const statementOf = (line: number) => (JSON.parse(records[line - 1]) as { problem: string }).problem;
  const refreshed = client.nextEvent('workspace/inlayHint/refresh');
  await client.notify(PROBLEM_RUN_RESULTS, { results: [
    runOf(statementOf(2), { uri, line: 2 }),
    runOf('What is 1 + 1?', { uri, line: 3, majority: '2' }),
    // A result for the file as a whole (no line) belongs to no record.
    runOf(statementOf(1), { uri }),
  ] });
  await refreshed;
  const titles = (line: number) => lenses().then((all) => all.filter((l) => l.range.start.line === line).map((l) => l.command?.title));
  assert.deepEqual(await titles(0), ['▶ Solve', 'Search…', 'Estimate difficulty']);
  assert.deepEqual(await titles(1), ['▶ Solve', 'Search…', 'Estimate difficulty', 'Open last run']);
  assert.deepEqual((await lenses()).find((l) => l.range.start.line === 1 && l.command?.title === 'Open last run')?.command?.arguments, [uri, 2]);

  const whole = () => ({ start: { line: 0, character: 0 }, end: client.doc(uri).positionAt(client.doc(uri).getText().length) });
  const hints = () => client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: whole() });
  const shown = async () => (await hints()).map((h) => [h.position.line, h.position.character, h.label]);
  // Only the record whose statement (escapes decoded) is the one run: line 3's result is stale.
  const expected = [[1, records[1].length, '✓ 7/8 · majority 14/3 · easy for qwen2.5:1.5b']];
  assert.deepEqual(await shown(), expected);
  assert.deepEqual(await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } } }), []);

  const hover = async (needle: string) => markdownOf(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: client.positionOf(uri, needle) }));
  assert.match(await hover('what is the value'), /Majority answer: 14\/3 — right/);
  assert.doesNotMatch(await hover('what is the value'), /changed since/);
  assert.match(await hover('as a decimal'), /changed since this run/);
  assert.equal(await hover('divisors'), '', 'a record without a run has no run hover');

  // Editing another record leaves this one's result; editing this record's statement hides it, undo brings it back.
  const other = client.doc(uri).getText().indexOf('196 have');
  await client.replace(uri, other, other + 3, '144');
  assert.deepEqual(await shown(), expected);
  const at = client.doc(uri).getText().indexOf('common fraction');
  await client.replace(uri, at, at + 'common'.length, 'reduced');
  assert.deepEqual(await hints(), []);
  assert.match(await hover('what is the value'), /changed since this run/);
  await client.replace(uri, at, at + 'reduced'.length, 'common');
  assert.deepEqual(await shown(), expected);
  // An edit to a key other than the statement (the answer) leaves it: the result is about the statement.
  const answer = client.doc(uri).getText().indexOf('"\\\\frac{14}{3}"');
  assert.ok(answer > 0);
  await client.replace(uri, answer + 1, answer + 1, ' ');
  assert.deepEqual(await shown(), [[1, records[1].length + 1, expected[0][2]]]);
});

test('a problem set: a record\'s result follows the record when lines are inserted above it, and another record on its old line gets none', async () => {
  const client = await start();
  const uri = 'file:///authoring/sets/moved.jsonl';
  const records = fs.readFileSync(path.resolve(__dirname, '../fixtures/authoring/set.jsonl'), 'utf8').trimEnd().split('\n');
  await client.open(uri, `${records.join('\n')}\n`, 'jsonl');
  const statementOf = (line: number) => (JSON.parse(records[line - 1]) as { problem: string }).problem;
  const refreshed = client.nextEvent('workspace/inlayHint/refresh');
  await client.notify(PROBLEM_RUN_RESULTS, { results: [runOf(statementOf(2), { uri, line: 2 }), runOf(statementOf(3), { uri, line: 3, majority: '0.15' })] });
  await refreshed;
  // A copy of the first record pasted above the second: records 2 and 3 are now on lines 3 and 4.
  await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: `${records[0]}\n` }]);

  const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const openLast = lenses.filter((l) => l.command?.command === COMMANDS.openLastRun).map((l) => [l.range.start.line, l.command?.arguments]);
  // On the records that were run, opening the runs the extension knows by their old lines.
  assert.deepEqual(openLast, [[2, [uri, 2]], [3, [uri, 3]]]);
  const whole = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
  const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: whole });
  assert.deepEqual(hints.map((h) => [h.position.line, (h.label as string).split(' · ')[1]]), [[2, 'majority 14/3'], [3, 'majority 0.15']]);
  const hover = async (needle: string, occurrence = 1) => markdownOf(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: client.positionOf(uri, needle, 0, occurrence) }));
  assert.equal(await hover('divisors', 2), '', 'the pasted record on line 2 shows no run of the record that was there');
  assert.match(await hover('as a decimal'), /Majority answer: 0\.15/);
  assert.doesNotMatch(await hover('as a decimal'), /changed since/);
});

test('MATH-500 as an open problem set: three lenses on each of its 500 records, resolved in the response', async () => {
  const client = await start();
  const uri = pathUri(MATH500);
  await client.open(uri, fs.readFileSync(MATH500, 'utf8'), 'jsonl');
  const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.equal(lenses.length, 1500);
  assert.ok(lenses.every((l) => l.command?.title && l.command.arguments?.length === 2));
  assert.deepEqual(lenses.at(-1)?.command?.arguments, [uri, 500]);
});

test('settings: an extra dataset (relative to the workspace) and the threshold re-check open files; load errors are shown once; an edited dataset is re-read', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'reasonscope-lsp-'));
  fs.writeFileSync(path.join(folder, 'olympiad.jsonl'), `${JSON.stringify({ problem: 'How many positive divisors does 196 have?', answer: '9', unique_id: 'oly/1' })}\n`);
  const client = await start({ workspaceFolder: folder, settings: { duplicateThreshold: 0.8, duplicateDatasets: [] } });
  const uri = pathUri(path.join(folder, 'divisors.problem.md'));
  await client.open(uri, '---\nanswer: 9\n---\nHow many positive divisors does the number 196 have?\n');
  assert.deepEqual(codes(await pull(client, uri)), []);

  const recheck = async (settings: unknown) => {
    client.settings = settings;
    const refreshed = client.nextEvent('workspace/diagnostic/refresh');
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await refreshed;
    return pull(client, uri);
  };
  const found = await recheck({ duplicateThreshold: 0.8, duplicateDatasets: [42, 'olympiad.jsonl', 'missing.jsonl'] });
  assert.deepEqual(codes(found), ['near-duplicate']);
  assert.match(found[0].message, /olympiad oly\/1/);
  const warnings = () => client.received.filter((e) => e.method === 'window/showMessage' || e.method === 'window/showMessageRequest');
  assert.equal(warnings().length, 1);
  assert.match(JSON.stringify(warnings()[0].params), /missing\.jsonl/);

  // A threshold above 1 is clamped to 1: only the same statement would count now.
  assert.deepEqual(codes(await recheck({ duplicateThreshold: 7, duplicateDatasets: ['olympiad.jsonl', 'missing.jsonl'] })), []);
  assert.equal(warnings().length, 1, 'the same dataset list is not loaded (nor its errors shown) again');
  assert.deepEqual(codes(await recheck({ duplicateThreshold: 'high', duplicateDatasets: ['olympiad.jsonl', 'missing.jsonl'] })), ['near-duplicate']);

  // The user edits their dataset: the next check uses the new file.
  fs.writeFileSync(path.join(folder, 'olympiad.jsonl'), `${JSON.stringify({ problem: 'Find the area of a circle of radius 3.', answer: '9\\pi', unique_id: 'oly/2' })}\n`);
  fs.utimesSync(path.join(folder, 'olympiad.jsonl'), new Date(), new Date(Date.now() + 5000));
  await client.replace(uri, 0, 0, '');
  assert.deepEqual(codes(await pull(client, uri)), []);
});

test('a cancelled diagnostics request on a big problem set answers with the cancellation error or in full, and the server keeps answering', async () => {
  const client = await start({ initializationOptions: BENCHMARKS });
  const uri = 'file:///authoring/sets/big.jsonl';
  const record = (i: number) => JSON.stringify({ problem: `What is $${i} + ${i}$? Give \\frac{a}{b`, answer: i % 7 ? String(2 * i) : '', unique_id: `big/${i}` });
  await client.open(uri, Array.from({ length: 4000 }, (_, i) => record(i)).join('\n'), 'jsonl');
  const source = new CancellationTokenSource();
  const cancelled = client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } }, source).then(
    (report) => ({ report }),
    (error: { code?: number }) => ({ error }),
  );
  source.cancel();
  const outcome = await cancelled;
  const full = await pull(client, uri);
  assert.equal(full.filter((d) => d.code === 'empty-answer').length, Math.ceil(4000 / 7));
  if ('error' in outcome) assert.equal(outcome.error.code, -32800); // LSPErrorCodes.RequestCancelled
  else assert.equal(outcome.report.kind === 'full' && outcome.report.items.length, full.length, 'a complete result, never a partial one');
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
  assert.ok(hover === null || typeof hover === 'object');
  assert.equal(await client.stop(), 0, client.stderr);
});
