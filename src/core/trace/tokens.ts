/** Token logprobs as stored in run files. Four decimals (a relative error in p below 1e-4) are far
 * below sampling noise and make token-heavy run files about a third smaller. */
import type { TokenLogprob } from '../model/types';

const round = (x: number) => Math.round(x * 1e4) / 1e4 || 0; // `|| 0` turns -0 into 0

export function storedTokens(tokens: TokenLogprob[]): TokenLogprob[] {
  return tokens.map((t) => {
    const stored: TokenLogprob = { token: t.token, logprob: round(t.logprob) };
    if (t.top) stored.top = t.top.map((a) => ({ token: a.token, logprob: round(a.logprob) }));
    return stored;
  });
}
