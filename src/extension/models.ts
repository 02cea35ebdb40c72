/** Model selection and pulling, and the status-bar item that shows model and connection. */
import * as vscode from 'vscode';
import { formatBytes } from '../core/format';
import { currentBackend, reportBackendError } from './backend';
import { readSettings } from './config';
import type { ExtensionContext } from './context';
import { pickOne } from './quickPick';

/** Lets the user pick an installed model and saves it in the user settings; undefined if cancelled. */
export async function pickModel(ctx: ExtensionContext, title = 'Select the Ollama model'): Promise<string | undefined> {
  const model = await chooseInstalledModel(ctx, title, readSettings().model);
  if (!model) return undefined;
  await vscode.workspace.getConfiguration('reasonscope').update('model', model, vscode.ConfigurationTarget.Global);
  ctx.refreshStatus();
  return model;
}

/** One of the models installed on the server, `current` first in focus; undefined if cancelled or
 * none can be listed (the user is told why). */
export async function chooseInstalledModel(ctx: ExtensionContext, title: string, current?: string): Promise<string | undefined> {
  const backend = currentBackend();
  let models;
  try {
    models = await backend.listModels();
  } catch (err) {
    await reportBackendError(err, ctx.log);
    return undefined;
  }
  if (models.length === 0) {
    const pick = await vscode.window.showWarningMessage(`Reasonscope: no models are installed in Ollama at ${backend.host}.`, 'Pull Model');
    if (pick) await vscode.commands.executeCommand('reasonscope.pullModel');
    return undefined;
  }
  const items = models.map((m) => ({
    label: m.name,
    description: [m.parameterSize, m.quantization, m.sizeBytes ? formatBytes(m.sizeBytes) : undefined].filter(Boolean).join(' · '),
  }));
  const item = await pickOne(items, { title, placeholder: `Models installed at ${backend.host}`, active: items.find((i) => i.label === current) });
  return item?.label;
}

export async function pullModel(ctx: ExtensionContext, name?: string): Promise<void> {
  const backend = currentBackend();
  const model = name ?? (await vscode.window.showInputBox({
    title: 'Pull a model into Ollama',
    prompt: `Model name from the Ollama library, pulled by ${backend.host}`,
    placeHolder: 'qwen2.5:1.5b',
    validateInput: (v) => (/^[\w.\-/:]+$/.test(v.trim()) ? undefined : 'A model name such as qwen2.5:1.5b'),
  }))?.trim();
  if (!model || !backend.pull) return;
  const pull = backend.pull.bind(backend);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Pulling ${model}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      try {
        await pull(model, (p) => {
          const fraction = p.total && p.completed !== undefined ? p.completed / p.total : undefined;
          const percent = fraction === undefined ? reported : Math.floor(fraction * 100);
          progress.report({ message: fraction === undefined ? p.status : `${p.status} ${percent}%`, increment: Math.max(0, percent - reported) });
          reported = Math.max(reported, percent);
        }, controller.signal);
        ctx.log.info(`Pulled ${model}`);
        const pick = await vscode.window.showInformationMessage(`Reasonscope: pulled ${model}.`, 'Use It');
        if (pick) await vscode.workspace.getConfiguration('reasonscope').update('model', model, vscode.ConfigurationTarget.Global);
        ctx.refreshStatus();
      } catch (err) {
        await reportBackendError(err, ctx.log);
      } finally {
        cancel.dispose();
      }
    },
  );
}

/** Status bar: model and whether Ollama answers; click to switch model. */
export function createStatusItem(): { item: vscode.StatusBarItem; refresh(): void } {
  const item = vscode.window.createStatusBarItem('reasonscope.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Reasonscope';
  item.command = 'reasonscope.selectModel';
  let generation = 0;
  const refresh = () => {
    const { model, host } = readSettings();
    const label = model || 'no model';
    const mine = ++generation;
    item.text = `$(sync~spin) ${label}`;
    item.tooltip = `Reasonscope: checking Ollama at ${host}…`;
    item.show();
    currentBackend().serverInfo(AbortSignal.timeout(5000)).then(
      (info) => {
        if (mine !== generation) return;
        item.text = `$(beaker) ${label}`;
        item.tooltip = `Reasonscope: Ollama ${info.version ?? ''} at ${host}${info.logprobs.supported ? '' : `\n${info.logprobs.reason}`}\nClick to select the model.`;
        item.backgroundColor = undefined;
      },
      (err: unknown) => {
        if (mine !== generation) return;
        item.text = `$(warning) ${label}`;
        item.tooltip = `Reasonscope: ${err instanceof Error ? err.message : String(err)}`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      },
    );
  };
  return { item, refresh };
}
