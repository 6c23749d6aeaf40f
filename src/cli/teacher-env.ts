import type { TeacherConfig } from '../core/teacher/types';
import { CliError } from './errors';

import { DEFAULT_BASE_URL } from '../core/defaults';

export { DEFAULT_BASE_URL };

/**
 * Teacher settings from flags and the environment: SPECIALIZE_* first, then the OpenAI client's
 * usual variables, then Ollama's local endpoint. The key is read here and never written anywhere.
 */
export function teacherFromEnvironment(flags: { baseUrl?: string; model?: string }, env = process.env): TeacherConfig {
  const [given, source] =
    flags.baseUrl !== undefined ? [flags.baseUrl, '--base-url']
    : env.SPECIALIZE_BASE_URL ? [env.SPECIALIZE_BASE_URL, 'SPECIALIZE_BASE_URL']
    : env.OPENAI_BASE_URL ? [env.OPENAI_BASE_URL, 'OPENAI_BASE_URL']
    : [DEFAULT_BASE_URL, 'the default'];
  const urls = given
    .split(',')
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (!urls.length) throw new CliError(`${source} is empty; give the teacher's URL, e.g. ${DEFAULT_BASE_URL}.`);
  for (const url of urls) checkUrl(url, source);
  return {
    baseUrls: urls,
    model: flags.model ?? env.SPECIALIZE_MODEL ?? '',
    apiKey: env.SPECIALIZE_API_KEY ?? env.OPENAI_API_KEY ?? undefined,
  };
}

/** A URL the OpenAI client would misread (no scheme, another scheme) is named with its fix. */
function checkUrl(url: string, source: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  if (!scheme) throw new CliError(`${source} "${url}" has no scheme; write it with http:// or https://, e.g. http://${url.replace(/^\/+/, '')}.`);
  if (!/^https?$/i.test(scheme)) throw new CliError(`${source} "${url}" uses ${scheme}://; the teacher is reached over http:// or https://.`);
  try {
    new URL(url);
  } catch {
    throw new CliError(`${source} "${url}" is not a valid URL; write it like ${DEFAULT_BASE_URL}.`);
  }
}
