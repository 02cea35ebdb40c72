/** The models the test server has installed and the ones its pretend registry can pull, with the
 * metadata Ollama reports for them (family, size, quantization, context length). */
import { createHash } from 'node:crypto';

export interface ModelEntry {
  /** The name as installed, e.g. "qwen2.5:1.5b". */
  name: string;
  modifiedAt: string;
  family: string;
  parameterSize: string;
  quantization: string;
  sizeBytes: number;
  /** sha256 hex of the manifest. */
  digest: string;
  contextLength: number;
}

/** When the fixture models were "pulled": fixed, so listings are reproducible. */
const INSTALLED_AT = '2025-06-02T09:30:00.000Z';
/** Bytes per parameter of a Q4_K_M file. */
const BYTES_PER_PARAMETER = 0.62;

/** Ollama's name normalisation: case-insensitive, the tag defaults to "latest". */
export function canonicalName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.includes(':') ? lower : `${lower}:latest`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function describe(name: string, modifiedAt: string): ModelEntry {
  const [base, tag = 'latest'] = name.split(':');
  const family = base.startsWith('llama') ? 'llama' : base.replace(/\.\d+$/, '');
  const billions = /^(\d+(?:\.\d+)?)b$/i.exec(tag)?.[1];
  const parameters = billions ? Number(billions) : 3;
  return {
    name,
    modifiedAt,
    family,
    parameterSize: `${parameters}B`,
    quantization: 'Q4_K_M',
    sizeBytes: Math.round(parameters * 1e9 * BYTES_PER_PARAMETER),
    digest: sha256Hex(`manifest:${canonicalName(name)}`),
    contextLength: family === 'llama' ? 131072 : family === 'qwen2' ? 32768 : 8192,
  };
}

export class ModelCatalogue {
  private readonly installed = new Map<string, ModelEntry>();
  private readonly pullable: Set<string>;

  constructor(installed: readonly string[], pullable: readonly string[]) {
    for (const name of installed) this.installed.set(canonicalName(name), describe(name, INSTALLED_AT));
    this.pullable = new Set(pullable.map(canonicalName));
  }

  /** Most recently installed first, as `ollama list` shows them. */
  list(): ModelEntry[] {
    return [...this.installed.values()].sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt));
  }

  find(name: string): ModelEntry | undefined {
    return this.installed.get(canonicalName(name));
  }

  /** The registry has it (installed models can always be pulled again). */
  canPull(name: string): boolean {
    return this.pullable.has(canonicalName(name)) || this.installed.has(canonicalName(name));
  }

  /** What a pull would install. */
  describeForPull(name: string): ModelEntry {
    return this.find(name) ?? describe(name, new Date().toISOString());
  }

  install(entry: ModelEntry): void {
    this.installed.set(canonicalName(entry.name), { ...entry, modifiedAt: new Date().toISOString() });
  }
}
