/** A Markdown + LaTeX statement as one line of plain text, for places that cannot typeset it (hovers,
 * the outline's symbol details). */
import { plainMath } from '../format';
import { scanMath } from './mathRegions';

/** Each math region read by plainMath without its delimiters, `\$` as `$`. */
export function plainStatement(statement: string): string {
  const prose = (from: number, to: number) => statement.slice(from, to).replace(/\\\$/g, '$');
  let out = '';
  let at = 0;
  for (const region of scanMath(statement).regions) {
    out += prose(at, region.open) + plainMath(statement.slice(region.contentStart, region.contentEnd));
    at = region.end ?? region.contentEnd;
  }
  return out + prose(at, statement.length);
}
