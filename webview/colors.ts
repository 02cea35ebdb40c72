/** Answer-group colours from the theme's chart palette. A group keeps its colour for the life of
 * the run, so live growth never repaints chains the user has already looked at. */
import type { GroupKey } from './order';

// Blue and orange first: the two leading answers should not read as "right"/"wrong" (green/red).
const PALETTE = ['blue', 'orange', 'purple', 'green', 'yellow', 'red'].map((name) => `var(--vscode-charts-${name})`);
export const NO_ANSWER_COLOR = 'var(--rs-no-answer)';
/** Groups beyond the palette share one neutral colour: a reused hue would pass them off as another group. */
export const OTHER_COLOR = 'var(--rs-other)';

export class GroupColors {
  private readonly assigned = new Map<string, string>();

  colorOf(key: GroupKey): string {
    if (key === null) return NO_ANSWER_COLOR;
    let color = this.assigned.get(key);
    if (!color) {
      color = PALETTE[this.assigned.size] ?? OTHER_COLOR;
      this.assigned.set(key, color);
    }
    return color;
  }
}
