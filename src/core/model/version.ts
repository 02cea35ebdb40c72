/** Ollama version gate for token logprobs (added in 0.12.11). */

export const LOGPROBS_MIN_OLLAMA = '0.12.11';

/** Compares dotted versions numerically; pre-release suffixes ("0.13.0-rc1") count as the release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => v.replace(/^v/, '').split(/[.-]/).slice(0, 3).map((p) => parseInt(p, 10) || 0);
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export function ollamaLogprobSupport(version: string | undefined): { supported: boolean; reason?: string } {
  if (!version) {
    return { supported: false, reason: `Ollama did not report its version; token logprobs need Ollama ${LOGPROBS_MIN_OLLAMA} or newer` };
  }
  if (version === '0.0.0') return { supported: true }; // a source build reports 0.0.0
  if (compareVersions(version, LOGPROBS_MIN_OLLAMA) < 0) {
    return {
      supported: false,
      reason: `Ollama ${version} cannot return token logprobs (they need ${LOGPROBS_MIN_OLLAMA} or newer); update Ollama to get token-level analysis`,
    };
  }
  return { supported: true };
}
