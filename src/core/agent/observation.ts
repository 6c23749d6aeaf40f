import type { CommandResult } from '../sandbox';

/** Keeps the start and the end of a long output, which is where errors and summaries usually are. */
export function clipObservation(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.7);
  const tail = max - head;
  const omitted = text.length - head - tail;
  return `${text.slice(0, head)}\n[output clipped: ${omitted} characters omitted]\n${text.slice(text.length - tail)}`;
}

export function describeCommandResult(result: CommandResult, timeoutMs: number): string {
  const parts: string[] = [];
  parts.push(result.output.length ? result.output : '(no output)');
  if (result.timedOut) parts.push(`[the command timed out after ${Math.round(timeoutMs / 1000)} s and its processes were stopped]`);
  else if (result.exitCode !== 0) parts.push(`[exit code ${result.exitCode ?? 'unknown'}]`);
  return parts.join('\n');
}
