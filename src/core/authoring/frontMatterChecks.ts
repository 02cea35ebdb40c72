/** Front-matter keys and values: unknown keys (with the likely intended key) and values outside what
 * MATH and the extension use. Values are checked in JSONL records too; keys only in problem files,
 * since datasets carry fields of their own (`unique_id`, `type`, …). */
import { closest } from './closest';
import { DIFFICULTIES, FRONT_MATTER_KEYS, MATH_SUBJECTS } from './frontMatterKeys';
import type { Field, Finding, ProblemUnit } from './types';

const KNOWN = FRONT_MATTER_KEYS.map((k) => k.key);

export function unknownKeyFindings(unit: ProblemUnit): Finding[] {
  return unit.fields
    .filter((f) => !KNOWN.includes(f.key))
    .map((f) => {
      const near = closest(f.key, KNOWN, 2);
      return {
        code: 'unknown-key',
        severity: 'warning',
        span: f.keySpan,
        message: `Unknown key \`${f.key}\`: Reasonscope reads ${KNOWN.map((k) => `\`${k}\``).join(', ')}${near ? `. Did you mean \`${near}\`?` : '; this one is ignored.'}`,
        fixes: near ? [{ title: `Rename to \`${near}\``, edits: [{ span: f.keySpan, newText: near }], preferred: true }] : undefined,
      };
    });
}

/** `quote` writes a replacement value in the document's syntax (plain YAML or a JSON literal). */
export function badValueFindings(unit: ProblemUnit, quote: (value: string) => string): Finding[] {
  const out: Finding[] = [];
  for (const field of unit.fields) {
    const finding = checkValue(field, quote);
    if (finding) out.push(finding);
  }
  return out;
}

function checkValue(field: Field, quote: (value: string) => string): Finding | undefined {
  const { key, value, valueSpan: span } = field;
  if (value === null || value === undefined) return undefined;
  if (key === 'level') {
    const level = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(/^\s*Level\s*/i, '')) : NaN;
    if (Number.isInteger(level) && level >= 1 && level <= 5) return undefined;
    return { code: 'bad-value', severity: 'warning', span, message: '`level` is a MATH difficulty level: 1 to 5 (`3` or `Level 3`). Other values are ignored by the per-level summaries.' };
  }
  if (key === 'subject') {
    if (typeof value === 'string' && (MATH_SUBJECTS as readonly string[]).includes(value)) return undefined;
    const near = typeof value === 'string' ? closest(value, MATH_SUBJECTS, 3, subjectKey) : undefined;
    return {
      code: 'bad-value',
      severity: 'info',
      span,
      message: `\`${String(value)}\` is not one of the seven MATH subjects (${MATH_SUBJECTS.join(', ')})${near ? `. Did you mean \`${near}\`?` : ': fine for your own problems, but per-subject comparisons with MATH will not group it.'}`,
      fixes: near ? [{ title: `Change to \`${near}\``, edits: [{ span, newText: quote(near) }], preferred: true }] : undefined,
    };
  }
  if (key === 'difficulty') {
    if ((DIFFICULTIES as readonly unknown[]).includes(value)) return undefined;
    return { code: 'bad-value', severity: 'warning', span, message: `\`difficulty\` is one of ${DIFFICULTIES.join(', ')} (as "Estimate difficulty" writes it).` };
  }
  if (key === 'tags') {
    if (typeof value === 'string' || Array.isArray(value)) return undefined;
    return { code: 'bad-value', severity: 'warning', span, message: '`tags` is a list (`[geometry, circles]`) or one string.' };
  }
  return undefined;
}

/** Subjects compared without case, with "and" for "&". */
function subjectKey(s: string): string {
  return s.toLowerCase().replace(/\s+and\s+/g, ' & ').replace(/\s+/g, ' ').trim();
}
