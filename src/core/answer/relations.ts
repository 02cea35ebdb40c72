/** Equations and inequalities: equivalent when one is a constant multiple of the other. */
import type { Deadline } from './deadline';
import { evaluate, isFiniteComplex } from './numeric';
import type { RelationOp } from './parse';
import { compareMath, SAMPLE_POINTS, samplePoint, toMathForm } from './symbolic';
import { differ, same, type Verdict } from './verdict';

export interface Relation { sides: string[]; ops: RelationOp[] }

/** `a > b` is `b < a`, `a \ge b` is `b \le a`: afterwards only `=`, `<`, `\le`, `\ne` remain. */
function pointLeft(r: Relation): Relation {
  const flipped = r.ops.every((op) => op === '>' || op === '\\ge');
  if (!flipped) return r;
  return { sides: [...r.sides].reverse(), ops: [...r.ops].reverse().map((op) => (op === '>' ? '<' : '\\le')) };
}

export function compareRelations(pred: Relation, gold: Relation, deadline: Deadline): Verdict {
  const a = pointLeft(pred);
  const b = pointLeft(gold);
  if (a.ops.length !== b.ops.length) return differ(`different relations (${pred.ops.join(' ')} vs ${gold.ops.join(' ')})`);
  if (a.ops.some((op, i) => op !== b.ops[i])) return differ(`different relations (${a.ops.join(' ')} vs ${b.ops.join(' ')})`);
  if (a.ops.length > 1) return compareChains(a, b, deadline);
  return compareScaled(a, b, deadline);
}

/** `-2 \le x \le 7`: the same relations between the same sides, in order. */
function compareChains(a: Relation, b: Relation, deadline: Deadline): Verdict {
  for (let i = 0; i < a.sides.length; i++) {
    const v = compareMath(a.sides[i], b.sides[i], deadline);
    if (!v.equal) return differ(`part ${i + 1} differs: ${v.reason}`);
  }
  return same('same chain of relations');
}

/**
 * `L1 op R1` and `L2 op R2` are equivalent when L1 - R1 = c (L2 - R2) for one constant c, nonzero for
 * equations, positive for inequalities (so `-x > -1` is `x < 1`, and `x^2/16 + y^2/12 = 1/4` is `x^2/4 + y^2/3 = 1`).
 */
function compareScaled(a: Relation, b: Relation, deadline: Deadline): Verdict {
  const da = toMathForm(`\\left(${a.sides[0]}\\right)-\\left(${a.sides[1]}\\right)`);
  const db = toMathForm(`\\left(${b.sides[0]}\\right)-\\left(${b.sides[1]}\\right)`);
  deadline.check();
  if (!da || !db) return differ('cannot read both relations as math');
  if (da.canonical === db.canonical) return same(`same ${a.ops[0] === '=' ? 'equation' : 'relation'} rearranged`);
  const symbols = [...new Set([...da.symbols, ...db.symbols])];
  let ratio: number | null = null;
  let points = 0;
  for (let p = 0; p < SAMPLE_POINTS; p++) {
    const assign = (name: string) => ({ re: samplePoint(name, p), im: 0 });
    const va = evaluate(da.json, assign, deadline);
    const vb = evaluate(db.json, assign, deadline);
    if (!isFiniteComplex(va) || !isFiniteComplex(vb) || va.im !== 0 || vb.im !== 0) continue;
    const tiny = (x: number) => Math.abs(x) < 1e-12;
    if (tiny(va.re) && tiny(vb.re)) continue;
    if (tiny(va.re) !== tiny(vb.re)) return differ('not equivalent: one holds where the other does not');
    const r = va.re / vb.re;
    if (ratio !== null && Math.abs(r - ratio) > 1e-9 * Math.max(1, Math.abs(ratio))) return differ('not equivalent: not a constant multiple of each other');
    ratio = r;
    points++;
  }
  if (ratio === null || points < Math.min(3, symbols.length ? SAMPLE_POINTS : 1)) return differ('cannot evaluate the relations: not shown equivalent');
  if (a.ops[0] !== '=' && a.ops[0] !== '\\ne' && ratio < 0) return differ('opposite inequalities');
  const factor = Number(ratio.toPrecision(6));
  return same(factor === 1 ? `same ${a.ops[0] === '=' ? 'equation' : 'relation'} rearranged` : `equivalent (one is ${factor} times the other)`);
}
