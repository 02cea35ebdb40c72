/** A single-choice QuickPick that opens with a given item in focus (the last choice, the current
 * setting), so Enter keeps it: `showQuickPick` cannot focus an item in single-choice mode. */
import * as vscode from 'vscode';

export interface PickOptions<T> {
  title: string;
  placeholder?: string;
  /** Focused when the list opens. */
  active?: T;
  step?: number;
  totalSteps?: number;
}

/** The accepted item, or undefined when the user pressed Escape. */
export async function pickOne<T extends vscode.QuickPickItem>(items: readonly T[], opts: PickOptions<T>): Promise<T | undefined> {
  const picker = vscode.window.createQuickPick<T>();
  picker.title = opts.title;
  picker.placeholder = opts.placeholder;
  picker.step = opts.step;
  picker.totalSteps = opts.totalSteps;
  picker.matchOnDescription = true;
  picker.items = items;
  if (opts.active) picker.activeItems = [opts.active];
  try {
    return await new Promise<T | undefined>((resolve) => {
      picker.onDidAccept(() => resolve(picker.selectedItems[0] ?? picker.activeItems[0]));
      picker.onDidHide(() => resolve(undefined));
      picker.show();
    });
  } finally {
    picker.dispose();
  }
}
