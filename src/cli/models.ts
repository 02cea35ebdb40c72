/** `reasonscope models`: list installed models, or pull one with a progress bar. */
import { parse } from './args';
import { backendFromFlags, backendOptions } from './backendFlags';
import { StatusLine, bar, formatBytes } from './output';

export async function modelsCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values } = parse(argv, { ...backendOptions, pull: { type: 'string' }, json: { type: 'boolean' } });
  const backend = backendFromFlags(values);
  if (values.pull) {
    if (!backend.pull) throw new Error(`Pulling models is an Ollama feature; ${backend.host} is an OpenAI-compatible server.`);
    const status = new StatusLine();
    let lastStatus = '';
    await backend.pull(values.pull, (p) => {
      if (p.total && p.completed !== undefined) {
        status.update(`${p.status.slice(0, 24).padEnd(24)} ${bar(p.completed / p.total)} ${formatBytes(p.completed)} / ${formatBytes(p.total)}`);
      } else if (p.status !== lastStatus) {
        status.log(p.status);
      }
      lastStatus = p.status;
    }, signal);
    status.clear();
    console.log(`Pulled ${values.pull}.`);
    return 0;
  }
  const models = await backend.listModels(signal);
  if (values.json) {
    console.log(JSON.stringify(models, null, 2));
    return 0;
  }
  if (models.length === 0) {
    console.log(`No models installed at ${backend.host}. Pull one with: reasonscope models --pull qwen2.5:1.5b`);
    return 0;
  }
  const width = Math.max(...models.map((m) => m.name.length));
  for (const m of models) {
    const facts = [m.parameterSize, m.quantization, m.sizeBytes ? formatBytes(m.sizeBytes) : undefined].filter(Boolean).join('  ');
    console.log(`${m.name.padEnd(width)}  ${facts}`);
  }
  return 0;
}
