/** The outcome of comparing two answers, with the reason a person can check. */
import type { Answer } from './parse';

export interface Verdict {
  equal: boolean;
  /** Short and specific: "equal as rationals 14/3", "different tuple lengths (2 vs 3)". */
  reason: string;
}

export const same = (reason: string): Verdict => ({ equal: true, reason });
export const differ = (reason: string): Verdict => ({ equal: false, reason });

/** An answer written back out, shortened for use inside a reason. */
export function show(answer: Answer, limit = 40): string {
  const full = write(answer);
  return full.length > limit ? `${full.slice(0, limit - 1)}…` : full;
}

function write(a: Answer): string {
  switch (a.kind) {
    case 'text': return `"${a.text}"`;
    case 'choice': return `(${a.letter})`;
    case 'number': case 'expr': return a.latex;
    case 'tuple': return `${a.open}${a.items.map(write).join(', ')}${a.close}`;
    case 'set': return a.written === 'braces' ? `\\{${a.items.map(write).join(', ')}\\}` : a.items.map(write).join(', ');
    case 'union': return a.items.map(write).join(' \\cup ');
    case 'matrix': return `matrix ${a.rows.length}×${a.rows[0]?.length ?? 0}`;
    case 'named': return `${a.name} ${a.op} ${write(a.value)}`;
    case 'relation': return a.sides.map((s, i) => (i ? ` ${a.ops[i - 1]} ${s}` : s)).join('');
  }
}

/** What kind of answer this is, in words, for "pred is a set, gold is a tuple". */
export function kindName(a: Answer): string {
  switch (a.kind) {
    case 'set': return a.written === 'braces' ? 'a set' : 'a list';
    case 'tuple': return a.items.length === 2 && (a.open === '(') !== (a.close === ')') ? 'an interval' : 'a tuple';
    case 'number': case 'expr': return 'a value';
    case 'relation': return a.ops.every((op) => op === '=') ? 'an equation' : 'an inequality';
    case 'choice': return 'a choice letter';
    case 'named': return 'a named value';
    default: return `a ${a.kind}`;
  }
}
