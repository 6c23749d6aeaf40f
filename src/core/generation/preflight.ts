import OpenAI from 'openai';
import type { TeacherConfig } from '../teacher/types';
import { GenerateError } from './errors';

/**
 * How the command that checks the teacher lets its user name an endpoint and a model, for the
 * advice in its errors: `specialize generate` has --base-url and --model, `specialize eval` only
 * --model NAME@URL, VS Code its settings.
 */
export interface TeacherAdvice {
  /** Ends "Start a local teacher first, e.g. ..., or ___." */
  endpoint: string;
  /** Ends "URL lists no models; ___." */
  model: string;
}

export const GENERATE_ADVICE: TeacherAdvice = { endpoint: 'point --base-url at any OpenAI-compatible endpoint', model: 'pass --model NAME' };
export const EVAL_ADVICE: TeacherAdvice = { endpoint: 'give --model NAME@URL the base URL of any OpenAI-compatible endpoint', model: 'name the model in --model NAME@URL' };

const howToStart = (advice: TeacherAdvice) =>
  `Start a local teacher first, e.g. \`ollama serve\` then \`ollama pull qwen2.5-coder:7b\` (http://localhost:11434/v1), or \`vllm serve MODEL --enable-auto-tool-choice --tool-call-parser hermes\` (http://localhost:8000/v1), or ${advice.endpoint}.`;

/**
 * Fails fast, before any copy or run directory is made, when no endpoint answers or none serves
 * the model. Servers without a model list are given the benefit of the doubt. Without a
 * configured model, the first one the endpoint lists is used; the chosen name is returned.
 */
export async function checkTeacherReachable(config: TeacherConfig, signal?: AbortSignal, advice: TeacherAdvice = GENERATE_ADVICE): Promise<string> {
  if (!config.baseUrls.length) throw new GenerateError(`No teacher endpoint is configured. ${howToStart(advice)}`);
  const problems: string[] = [];
  for (const baseURL of config.baseUrls) {
    const client = new OpenAI({ baseURL, apiKey: config.apiKey || 'none', maxRetries: 0, timeout: 15_000, defaultHeaders: config.extraHeaders });
    try {
      const ids: string[] = [];
      for await (const model of client.models.list({ signal })) ids.push(model.id);
      if (!config.model && ids.length) return ids[0];
      if (!config.model) throw new GenerateError(`${baseURL} lists no models; ${advice.model}.`);
      if (!ids.length || ids.includes(config.model)) return config.model;
      problems.push(`model "${config.model}" is not served at ${baseURL} (it serves: ${ids.slice(0, 8).join(', ')})`);
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 401 || status === 403) problems.push(`the API key was rejected by ${baseURL}`);
      else if (error instanceof GenerateError) throw error;
      else if (status === 404 && config.model) return config.model; // no model list on this server; chat may still work
      else {
        // The client's own message is a bare "Connection error."; the cause says what happened.
        const cause = (error as { cause?: { code?: string; cause?: { code?: string } } }).cause;
        const code = cause?.code ?? cause?.cause?.code;
        const what = code === 'ECONNREFUSED' ? 'connection refused: nothing listens there' : code ?? (error as Error).message.split('\n')[0];
        problems.push(`${baseURL} did not answer (${what})`);
      }
    }
  }
  const unreachable = problems.every((p) => p.includes('did not answer'));
  throw new GenerateError(`The teacher cannot be used: ${problems.join('; ')}.${unreachable ? ` ${howToStart(advice)}` : ''}`);
}
