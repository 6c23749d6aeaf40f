import { watch, type FSWatcher } from 'node:fs';

/**
 * fs.watch on a changing set of folders, calling `onChange` for the names `wanted` accepts. The
 * indexes use it beside VS Code's workspace watcher, which does not report files under
 * git-ignored folders everywhere (code-server), and .specializer ignores itself.
 */
export class DirWatchers {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(private readonly wanted: (name: string) => boolean, private readonly onChange: () => void) {}

  /** Watches exactly these folders from now on. */
  set(dirs: string[]): void {
    const wanted = new Set(dirs);
    for (const [dir, watcher] of this.watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, (_event, name) => {
          if (!name || this.wanted(String(name))) this.onChange();
        });
        watcher.on('error', () => this.watchers.delete(dir));
        this.watchers.set(dir, watcher);
      } catch {
        // a folder that vanished meanwhile
      }
    }
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
