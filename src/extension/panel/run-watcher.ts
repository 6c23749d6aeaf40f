import { watch, type FSWatcher } from 'node:fs';

/**
 * Calls `onChange` (debounced) when the run directory's files change, so new samples and
 * decisions reach the panel while a run is going. fs.watch can miss events on network and
 * container file systems, so a slow poll backs it up; the callback only reads appended bytes,
 * so a spurious call costs two fstat calls.
 */
export class RunWatcher {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly poller: NodeJS.Timeout;

  constructor(dir: string, private readonly onChange: () => void, debounceMs = 150, pollMs = 2_000) {
    try {
      this.watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name && !String(name).endsWith('.jsonl')) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.timer = null;
          this.onChange();
        }, debounceMs);
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      this.watcher = null; // the poll still runs
    }
    this.poller = setInterval(() => this.onChange(), pollMs);
    this.poller.unref?.();
  }

  dispose(): void {
    this.watcher?.close();
    if (this.timer) clearTimeout(this.timer);
    clearInterval(this.poller);
  }
}
