/** "Reasonscope: Open Trace File": any trace format the importers read (ProcessBench, PRM800K,
 * R1-style chats, thought-anchors folders, generic JSONL, text, run files) shown as a read-only run. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openTraceSource, type TraceSource } from '../core/trace/import';
import type { ExtensionContext } from './context';

/** Above this many records a picker of every label is slow to build; ask for a record number instead. */
const MAX_PICK = 5000;

export async function openTraceFile(ctx: ExtensionContext, uri?: vscode.Uri): Promise<void> {
  const source = uri ? await openAsTrace(uri) : await openActiveOrAsk();
  if (!source) return;
  const name = path.basename(source.path);
  try {
    if (source.problems.length) {
      for (const p of source.problems) ctx.log.warn(`${name}: ${p}`);
      void vscode.window.showWarningMessage(
        `Reasonscope: ${source.problems.length} record${source.problems.length === 1 ? '' : 's'} of ${name} could not be read (first: ${source.problems[0]}); the others open normally.`,
        'Show Log',
      ).then((pick) => pick && ctx.log.show());
    }
    if (source.recordCount === 0) {
      void vscode.window.showErrorMessage(`Reasonscope: ${name} has no readable records.`);
      return;
    }
    const index = source.recordCount === 1 ? 0 : await pickRecord(source, name);
    if (index === undefined) return;
    const run = await source.load(index);
    for (const w of run.warnings) ctx.log.warn(`${name} record ${index}: ${w}`);
    ctx.tree.show(run.header, run.events, source.recordCount === 1 ? name : `${name} · record ${index}`);
    await ctx.tree.reveal();
    ctx.log.info(`Opened ${name} record ${index} of ${source.recordCount} as ${source.format}`);
  } catch (err) {
    void vscode.window.showErrorMessage(`Reasonscope: ${name}: ${(err as Error).message}`);
  } finally {
    await source.close();
  }
}

async function pickRecord(source: TraceSource, name: string): Promise<number | undefined> {
  if (source.recordCount > MAX_PICK) {
    const value = await vscode.window.showInputBox({
      title: `${name}: ${source.recordCount.toLocaleString('en-US')} records (${source.format})`,
      prompt: `Record index, 0–${source.recordCount - 1} (as \`reasonscope import --list\` numbers them)`,
      validateInput: (v) => (/^\d+$/.test(v) && +v < source.recordCount ? undefined : `A number from 0 to ${source.recordCount - 1}`),
    });
    return value === undefined ? undefined : Number(value);
  }
  const picker = vscode.window.createQuickPick<vscode.QuickPickItem & { index: number }>();
  picker.title = `${name}: ${source.recordCount} records (${source.format})`;
  picker.placeholder = 'Type to filter by id, model, answer or label';
  picker.busy = true;
  picker.show();
  let open = true;
  const chosen = new Promise<number | undefined>((resolve) => {
    picker.onDidAccept(() => resolve(picker.selectedItems[0]?.index));
    picker.onDidHide(() => {
      open = false;
      resolve(undefined);
    });
  });
  // Labels come from reading each record by offset; fill the list as they arrive.
  void (async () => {
    const items: (vscode.QuickPickItem & { index: number })[] = [];
    for (let i = 0; i < source.recordCount && open; i++) {
      items.push({ label: await source.label(i).catch((e: Error) => `${i} · unreadable: ${e.message}`), index: i });
      if (i % 200 === 199 || i === source.recordCount - 1) picker.items = [...items];
    }
    picker.busy = false;
  })();
  const index = await chosen;
  picker.dispose();
  return index;
}

/** The trace in the active editor when it is a JSON/JSONL file the importers read; otherwise (any
 * other file, or JSON that is not a trace, such as package.json) the file dialog. */
async function openActiveOrAsk(): Promise<TraceSource | undefined> {
  const uri = vscode.window.activeTextEditor?.document.uri;
  if (uri?.scheme === 'file' && /\.jsonl?$/i.test(uri.path)) {
    const source = await openTraceSource(uri.fsPath).catch(() => undefined);
    if (source) return source;
  }
  const picked = await askForTrace();
  return picked && openAsTrace(picked);
}

async function openAsTrace(uri: vscode.Uri): Promise<TraceSource | undefined> {
  try {
    return await openTraceSource(uri.fsPath);
  } catch (err) {
    void vscode.window.showErrorMessage(`Reasonscope: cannot open ${path.basename(uri.fsPath)} as a trace — ${(err as Error).message}`);
    return undefined;
  }
}

async function askForTrace(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Open a trace file or a thought-anchors folder',
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    filters: { 'Traces': ['jsonl', 'json', 'txt', 'md'], 'All files': ['*'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}
