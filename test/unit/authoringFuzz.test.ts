import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkProblemDocument } from '../../src/core/authoring/checks';
import { parseProblemDocument } from '../../src/core/authoring/problemDocument';
import type { Finding, ProblemDocument, Span } from '../../src/core/authoring/types';

/** Pieces of problem files and of the ways they go wrong: fences, keys, quotes, delimiters, braces,
 * line ends, a BOM, astral characters, escapes. */
const piece = fc.constantFrom(
  '---', '---\n', '\n', '\r\n', '\uFEFF', 'answer:', 'answer: ', 'anwser: ', 'level: 9', 'subject: algebra', 'tags:', 'id: x',
  '"', "'", '\\"', '\\\\', '\\u00e9', '\\ud83d', '😀', 'é', '$', '$$', '\\(', '\\)', '\\[', '\\]', '{', '}', '\\frac{', '\\dfrac',
  '\\foo', '^^', '`', '```', '[asy]', '[/asy]', '# ', '  ', '\t', '- ', ': ', '|', '>', '#', '&', '*', '!', '%', '\\$', '5', 'x',
  '{"problem": "', '", "answer": "', '"}', '{"question": ', '"steps": [', ']', ',', '\\n', '\\t', 'null', '[1, 2',
);
const document = fc.oneof(
  fc.array(piece, { maxLength: 60 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
);
/** Problem-set documents: lines that are records, nearly records, or fragments. */
const jsonLine = fc.oneof(
  fc.record({ problem: document, answer: fc.option(document, { nil: undefined }), level: fc.option(fc.integer(), { nil: undefined }) }).map((r) => JSON.stringify(r)),
  fc.array(piece, { maxLength: 20 }).map((parts) => `{"problem": "x", ${parts.join('')}}`),
  document,
);
const problemSet = fc.array(jsonLine, { maxLength: 8 }).chain((lines) => fc.constantFrom('\n', '\r\n').map((eol) => `{"problem": "Q${lines.length}?"}${eol}${lines.join(eol)}`));

function inside(span: Span, text: string): boolean {
  return Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length;
}

function assertSound(doc: ProblemDocument, findings: Finding[]): void {
  const { text } = doc;
  for (const unit of doc.units) {
    for (const span of [unit.span, unit.titleSpan, ...unit.fields.flatMap((f) => [f.keySpan, f.valueSpan])]) assert.ok(inside(span, text), JSON.stringify(span));
    for (const mapped of [unit.statement, unit.answer]) {
      if (!mapped) continue;
      for (let i = 0; i <= mapped.text.length; i++) assert.ok(inside({ start: mapped.offsetAt(i), end: mapped.offsetAt(i) }, text));
    }
    if (unit.insertAt !== undefined) assert.ok(inside({ start: unit.insertAt, end: unit.insertAt }, text));
  }
  for (const finding of findings) {
    assert.ok(inside(finding.span, text), `${finding.code} ${JSON.stringify(finding.span)}`);
    for (const fix of finding.fixes ?? []) {
      const edits = [...fix.edits].sort((a, b) => a.span.start - b.span.start);
      edits.forEach((e, i) => {
        assert.ok(inside(e.span, text), `${finding.code} fix ${JSON.stringify(e.span)}`);
        assert.ok(i === 0 || edits[i - 1].span.end <= e.span.start, 'edits do not overlap');
      });
      // Applying the fix gives a document that still parses and checks.
      const fixed = edits.reduceRight((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
      checkProblemDocument(parseProblemDocument(fixed, doc.kind === 'problem' ? 'f.problem.md' : 'f.jsonl'), {});
    }
  }
}

test('problem files: parse and check never throw, spans stay in the document, fixes apply', () => {
  fc.assert(
    fc.property(document, (text) => {
      const doc = parseProblemDocument(text, 'fuzz.problem.md');
      assertSound(doc, checkProblemDocument(doc, { duplicates: { nearest: () => undefined } }));
    }),
    { numRuns: 400, seed: 3 },
  );
});

test('problem sets: parse and check never throw, spans stay in the document, fixes apply', () => {
  fc.assert(
    fc.property(problemSet, (text) => {
      const doc = parseProblemDocument(text, 'fuzz.jsonl');
      assert.equal(doc.kind, 'problem-set');
      assertSound(doc, checkProblemDocument(doc, {}));
    }),
    { numRuns: 300, seed: 5 },
  );
});

test('a JSON string maps every decoded character to the escape it came from', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      const text = `{"problem": ${JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}}`;
      const doc = parseProblemDocument(text, 'one.jsonl');
      if (!s.trim()) return;
      const statement = doc.units[0].statement;
      assert.equal(statement.text, s);
      for (let i = 0; i < s.length; i++) {
        const raw = text.slice(statement.offsetAt(i), statement.offsetAt(i + 1));
        assert.equal(JSON.parse(`"${raw}"`), s[i]);
      }
    }),
    { numRuns: 300, seed: 9 },
  );
});
