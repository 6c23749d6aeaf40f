/**
 * How many tokens a run will take, from the average of earlier runs of this repository when
 * there are any, otherwise from a stated assumption.
 */
export const ASSUMED_TOKENS_PER_SAMPLE = 400_000;

export interface PastRun {
  finishedSamples: number;
  tokens: number;
}

export interface TokenEstimate {
  perSample: number;
  total: number;
  basis: 'history' | 'assumption';
  explanation: string;
}

export function estimateTokens(samples: number, history: PastRun[]): TokenEstimate {
  const finished = history.reduce((n, r) => n + r.finishedSamples, 0);
  const tokens = history.reduce((n, r) => n + r.tokens, 0);
  if (finished >= 3 && tokens > 0) {
    const perSample = Math.round(tokens / finished);
    return { perSample, total: perSample * samples, basis: 'history', explanation: `about ${formatTokens(perSample)} tokens per sample, the average of ${finished} earlier samples of this repository` };
  }
  return {
    perSample: ASSUMED_TOKENS_PER_SAMPLE,
    total: ASSUMED_TOKENS_PER_SAMPLE * samples,
    basis: 'assumption',
    explanation: `assuming about ${formatTokens(ASSUMED_TOKENS_PER_SAMPLE)} tokens per sample (two rollouts of up to 115 steps with a growing context; no earlier run of this repository to go by)`,
  };
}

export function formatTokens(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}k`;
  return String(n);
}
