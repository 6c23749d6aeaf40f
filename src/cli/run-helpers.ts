import { SingleBar } from 'cli-progress';
import { EXIT } from './exit-codes';
import { formatDuration } from './format';
import { wholeNumber } from './options';

export { formatDuration } from './format';

/** commander's parser for a whole-number option of 0 or more; the message names the option. */
export function integer(name: string) {
  return wholeNumber(name);
}

/**
 * The first Ctrl+C (or SIGTERM) asks the run to stop cleanly, the second quits at once.
 * `beforeMessage` runs first: a progress bar must step aside before anything is written under
 * it, since it restores its saved cursor position when it stops and would overwrite the line.
 * Returns the function that removes the handlers.
 */
export function stopOnInterrupt(controller: AbortController, message: string, beforeMessage: () => void = () => undefined): () => void {
  let interrupted = 0;
  const onSignal = () => {
    interrupted++;
    if (interrupted > 1) process.exit(EXIT.interrupted);
    beforeMessage();
    process.stderr.write(`${message} Press Ctrl+C again to quit at once.\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

export interface ProgressBar<P> {
  update(p: P): void;
  /** Ends the bar on its own line; later updates are ignored, so it never starts again under other output. */
  stop(): void;
  /** True on a terminal, where the bar is drawn (plain lines are the caller's otherwise). */
  readonly live: boolean;
}

/** A live progress bar on a terminal; nothing otherwise. */
export function progressBar<P extends { total: number; done: number; etaMs: number | null }>(format: string, payload: (p: P) => Record<string, unknown>): ProgressBar<P> {
  const bar = process.stderr.isTTY ? new SingleBar({ format: `${format} | ETA {eta_text}`, hideCursor: true, clearOnComplete: false, stream: process.stderr }) : undefined;
  let started = false;
  let stopped = false;
  return {
    live: Boolean(bar),
    update(p) {
      if (!bar || stopped) return;
      const values = { ...payload(p), eta_text: formatDuration(p.etaMs) };
      if (!started) {
        bar.start(p.total, p.done, values);
        started = true;
      } else bar.update(p.done, values);
    },
    stop() {
      if (started && !stopped) bar!.stop();
      stopped = true;
    },
  };
}
