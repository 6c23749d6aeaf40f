import { EvalError } from './errors';

/** A model as the user names it on the command line, with the key it is called with (never written). */
export interface ModelSpec {
  label: string;
  model: string;
  baseUrls: string[];
  apiKey?: string;
}

const SPEC = /^(?:([^=@\s]+)=)?([^\s]+?)@(https?:\/\/\S+)$/;

/**
 * Parses `NAME@URL`, `NAME@URL1,URL2` (several endpoints serving the same model) or
 * `LABEL=NAME@URL` (when two models share a name, e.g. a checkpoint and its base on two servers).
 */
export function parseModelSpec(text: string): ModelSpec {
  const m = SPEC.exec(text.trim());
  if (!m) throw new EvalError(`--model ${text} is not NAME@URL; write it as e.g. qwen2.5-coder:7b@http://localhost:11434/v1 (or LABEL=NAME@URL).`);
  const baseUrls = m[3].split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean);
  for (const url of baseUrls) {
    if (!/^https?:\/\/[^/\s]+/.test(url)) throw new EvalError(`--model ${text} has "${url}", which is not an http(s) URL; give the endpoint's base URL ending in /v1.`);
  }
  return { label: m[1] ?? m[2], model: m[2], baseUrls };
}

/** Labels name results and trajectory files, so two models may not share one. */
export function checkLabels(specs: ModelSpec[]): void {
  if (!specs.length) throw new EvalError('Give at least one model to evaluate with --model NAME@URL (repeat it to compare several).');
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.label)) throw new EvalError(`Two models are labelled "${s.label}"; tell them apart with LABEL=NAME@URL.`);
    seen.add(s.label);
  }
}

/** SPECIALIZE_API_KEY_<LABEL> (upper case, other characters as _) lets each endpoint have its own key. */
export function apiKeyFor(label: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = env[`SPECIALIZE_API_KEY_${label.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
  return own || env.SPECIALIZE_API_KEY || env.OPENAI_API_KEY || undefined;
}
