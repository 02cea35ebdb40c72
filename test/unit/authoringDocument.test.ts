import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { parseProblemDocument } from '../../src/core/authoring/problemDocument';
import type { MappedText, Span } from '../../src/core/authoring/types';

const at = (text: string, span: Span) => text.slice(span.start, span.end);
/** The document characters each character of `mapped` came from (first character of an escape). */
const origins = (text: string, mapped: MappedText) => [...Array(mapped.text.length).keys()].map((i) => text[mapped.offsetAt(i)]).join('');

test('a problem file with BOM and CRLF: keys, values, answer, statement, title and insertion point at exact offsets', () => {
  const text = '\uFEFF---\r\nid: p-1\r\nanswer: \\frac{1}{2}\r\nlevel: Level 3\r\n---\r\n\r\n# Halves\r\nWhat is $1/2$?\r\n\r\n';
  const doc = parseProblemDocument(text, 'half.problem.md');
  assert.equal(doc.kind, 'problem');
  const [unit] = doc.units;
  assert.deepEqual(unit.fields.map((f) => [at(text, f.keySpan), at(text, f.valueSpan), f.value]), [
    ['id', 'p-1', 'p-1'],
    ['answer', '\\frac{1}{2}', '\\frac{1}{2}'],
    ['level', 'Level 3', 'Level 3'],
  ]);
  assert.equal(unit.id, 'p-1');
  assert.equal(unit.answer?.text, '\\frac{1}{2}');
  assert.equal(at(text, { start: unit.answer!.offsetAt(0), end: unit.answer!.offsetAt(unit.answer!.text.length) }), '\\frac{1}{2}');
  assert.equal(unit.statement.text, '# Halves\r\nWhat is $1/2$?');
  assert.equal(text.slice(unit.statement.offsetAt(0), unit.statement.offsetAt(8)), '# Halves');
  assert.equal(at(text, unit.titleSpan), '# Halves');
  assert.ok(text.startsWith('---\r\n\r\n#', unit.insertAt), 'a new key goes at the start of the closing --- line');
  assert.equal(at(text, doc.frontMatter!.contentSpan), 'id: p-1\r\nanswer: \\frac{1}{2}\r\nlevel: Level 3\r\n');
});

test('a double-quoted YAML answer maps each decoded character to its escape', () => {
  const text = '---\nanswer: "\\\\dfrac{7}{2} \\u00e9"\n---\nx\n';
  const answer = parseProblemDocument(text, 'q.problem.md').units[0].answer!;
  assert.equal(answer.text, '\\dfrac{7}{2} é');
  assert.equal(origins(text, answer), '\\dfrac{7}{2} \\');
  assert.equal(text.slice(answer.offsetAt(0), answer.offsetAt(6)), '\\\\dfrac', 'the span of `\\dfrac` covers the escaped backslash');
  assert.equal(text[answer.offsetAt(answer.text.length)], '"', 'the end maps to the closing quote');
});

test('single-quoted and block-scalar answers map line by line', () => {
  const single = "---\nanswer: 'it''s 5'\n---\nx\n";
  const a = parseProblemDocument(single, 'q.problem.md').units[0].answer!;
  assert.equal(a.text, "it's 5");
  assert.equal(text5(single, a), '5');
  const block = '---\nanswer: |\n  x = 1\n  y = 2\n---\nx\n';
  const b = parseProblemDocument(block, 'q.problem.md').units[0].answer!;
  assert.equal(b.text, 'x = 1\ny = 2\n');
  assert.equal(origins(block, b), 'x = 1\ny = 2\n');
});
const text5 = (text: string, m: MappedText) => text[m.offsetAt(m.text.indexOf('5'))];

test('an answer YAML reads as a list (an unquoted interval) is the answer as written, not an empty one', () => {
  const text = '---\nanswer: [1, 2]   \n---\nx\n';
  const answer = parseProblemDocument(text, 'q.problem.md').units[0].answer!;
  assert.equal(answer.text, '[1, 2]');
  assert.equal(origins(text, answer), '[1, 2]');
});

test('without a heading the title is the first statement line; without front matter there is no insertion point', () => {
  const text = '\n\nWhat is $2+2$?\nShow work.\n';
  const [unit] = parseProblemDocument(text, 'x.problem.md').units;
  assert.equal(at(text, unit.titleSpan), 'What is $2+2$?');
  assert.equal(unit.insertAt, undefined);
  assert.equal(unit.answer, undefined);
  assert.equal(parseProblemDocument(text, 'x.problem.md').frontMatter, undefined);
});

test('an unclosed --- block is no front matter: its keys are not read, and it is a read error (Solve refuses the file)', () => {
  const doc = parseProblemDocument('---\nanswer: 3\nWhat?', 'x.problem.md');
  assert.equal(doc.frontMatter, undefined);
  assert.equal(doc.units[0].statement.text, '---\nanswer: 3\nWhat?');
  assert.equal(doc.units[0].answer, undefined);
  assert.deepEqual(doc.units[0].readErrors?.map((e) => e.code), ['front-matter-shape']);
});

test('JSON strings map decoded characters back through \\\\, \\", \\/, \\n, \\uXXXX and surrogate pairs', () => {
  const line = '{"problem": "a\\\\b \\"q\\" \\/ \\n \\u00e9 \\ud83d\\ude00 z", "answer": "\\\\frac12", "unique_id": "t/1"}';
  const text = `${line}\r\n`;
  const doc = parseProblemDocument(text, 'set.jsonl');
  assert.equal(doc.kind, 'problem-set');
  const [unit] = doc.units;
  const statement = unit.statement;
  assert.equal(statement.text, 'a\\b "q" / \n é 😀 z');
  const rawOf = (index: number) => text.slice(statement.offsetAt(index), statement.offsetAt(index + 1));
  assert.deepEqual([...Array(statement.text.length).keys()].map(rawOf), [
    'a', '\\\\', 'b', ' ', '\\"', 'q', '\\"', ' ', '\\/', ' ', '\\n', ' ', '\\u00e9', ' ', '\\ud83d', '\\ude00', ' ', 'z',
  ]);
  assert.equal(text[statement.offsetAt(statement.text.length)], '"');
  assert.equal(unit.answer?.text, '\\frac12');
  assert.equal(unit.id, 't/1');
  assert.equal(unit.line, 1);
  assert.equal(at(text, unit.span), line, 'the line without its CR');
  assert.equal(text.slice(unit.insertAt), '}\r\n');
  assert.deepEqual(unit.fields.map((f) => at(text, f.keySpan)), ['"problem"', '"answer"', '"unique_id"']);
  assert.equal(at(text, unit.fields[2].valueSpan), '"t/1"');
});

test('problem sets are recognised by content: problem records yes; traces, garbage and empty files no', () => {
  const kind = (text: string) => parseProblemDocument(text, 'data.jsonl').kind;
  assert.equal(kind('\n{"problem": "What is 1+1?", "solution": "It is 2.", "answer": "2"}\n'), 'problem-set');
  assert.equal(kind('{"question": "Janet has 3 apples.", "answer": "3"}'), 'problem-set');
  assert.equal(kind(readFileSync('test/fixtures/authoring/processbench-trace.jsonl', 'utf8')), 'other');
  assert.equal(kind('{"problem": "What is 1+1?", "response": "2"}'), 'other');
  assert.equal(kind('{"messages": [{"role": "user", "content": "hi"}]}'), 'other');
  assert.equal(kind('{"problem": "   "}'), 'other');
  assert.equal(kind('not json at all'), 'other');
  assert.equal(kind(''), 'other');
  assert.equal(parseProblemDocument('{"problem": "x"}', 'notes.md').kind, 'other');
});

test('every non-empty line of a problem set is a unit with its 1-based line, bad lines included', () => {
  const text = '{"problem": "a"}\n\n{"problem": "b"\n[1, 2]\n';
  const units = parseProblemDocument(text, 'set.jsonl').units;
  assert.deepEqual(units.map((u) => [u.line, at(text, u.span)]), [[1, '{"problem": "a"}'], [3, '{"problem": "b"'], [4, '[1, 2]']]);
});

test('MATH-500 reads as 500 problems with their ids and answers', () => {
  const doc = parseProblemDocument(readFileSync('media/samples/math500.jsonl', 'utf8'), 'math500.jsonl');
  assert.equal(doc.kind, 'problem-set');
  assert.equal(doc.units.length, 500);
  assert.ok(doc.units.every((u) => u.id?.startsWith('test/') && u.answer !== undefined && u.statement.text.length > 0));
});
