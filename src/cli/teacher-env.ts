import type { TeacherConfig } from '../core/teacher/types';

import { DEFAULT_BASE_URL } from '../core/defaults';

export { DEFAULT_BASE_URL };

/**
 * Teacher settings from flags and the environment: SPECIALIZE_* first, then the OpenAI client's
 * usual variables, then Ollama's local endpoint. The key is read here and never written anywhere.
 */
export function teacherFromEnvironment(flags: { baseUrl?: string; model?: string }, env = process.env): TeacherConfig {
  const urls = (flags.baseUrl ?? env.SPECIALIZE_BASE_URL ?? env.OPENAI_BASE_URL ?? DEFAULT_BASE_URL)
    .split(',')
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  return {
    baseUrls: urls,
    model: flags.model ?? env.SPECIALIZE_MODEL ?? '',
    apiKey: env.SPECIALIZE_API_KEY ?? env.OPENAI_API_KEY ?? undefined,
  };
}
