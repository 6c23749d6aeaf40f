import { SingleBar } from 'cli-progress';
import { CliError } from './errors';

/** commander's parser for a whole-number option; the message names the option. */
export function integer(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new CliError(`${name} must be a whole number; got "${value}".`);
    return n;
  };
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '?';
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * The first Ctrl+C (or SIGTERM) asks the run to stop cleanly, the second quits at once.
 * Returns the function that removes the handlers.
 */
export function stopOnInterrupt(controller: AbortController, message: string): () => void {
  let interrupted = 0;
  const onSignal = () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    process.stderr.write(`\n${message} Press Ctrl+C again to quit at once.\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** A live progress bar on a terminal; nothing otherwise (plain lines are the caller's). */
export function progressBar<P extends { total: number; done: number; etaMs: number | null }>(format: string, payload: (p: P) => Record<string, unknown>): { update(p: P): void; stop(): void } {
  const bar = process.stderr.isTTY ? new SingleBar({ format: `${format} | ETA {eta_text}`, hideCursor: true, clearOnComplete: false, stream: process.stderr }) : undefined;
  let started = false;
  return {
    update(p) {
      if (!bar) return;
      const values = { ...payload(p), eta_text: formatDuration(p.etaMs) };
      if (!started) {
        bar.start(p.total, p.done, values);
        started = true;
      } else bar.update(p.done, values);
    },
    stop: () => bar?.stop(),
  };
}
