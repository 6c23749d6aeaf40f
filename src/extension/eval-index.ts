import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { EVAL_FILES } from '../core/eval/eval-dir';
import { evalFilesKey, type EvalListing } from '../core/eval/listing';
import { DirWatchers } from './dir-watchers';
import { engine } from './lazy';

export interface EvalEntry {
  listing: EvalListing;
  folder: vscode.WorkspaceFolder;
}

/** REPO/.specializer/evals, where `specialize eval` writes by default. */
export function evalsFolderOf(folder: vscode.WorkspaceFolder): string {
  return join(folder.uri.fsPath, '.specializer', 'evals');
}

/**
 * The eval runs of every workspace folder, read from disk and refreshed (debounced) as
 * `specialize eval` appends results, so the Evals view follows a running eval.
 */
export class EvalIndex implements vscode.Disposable {
  private entries: EvalEntry[] = [];
  private loaded = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly cache = new Map<string, { key: string; listing: EvalListing }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly watchers = new DirWatchers((name) => name === EVAL_FILES.results || name === EVAL_FILES.manifest || name === EVAL_FILES.lock || !name.includes('.'), () => this.scheduleRefresh());
  private readonly disposables: vscode.Disposable[];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/.specializer/evals/*/{${EVAL_FILES.results},${EVAL_FILES.manifest}}`);
    const schedule = () => this.scheduleRefresh();
    this.disposables = [watcher, watcher.onDidChange(schedule), watcher.onDidCreate(schedule), watcher.onDidDelete(schedule), this.changed];
  }

  scheduleRefresh(delayMs = 400): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), delayMs);
  }

  refresh(): void {
    const entries: EvalEntry[] = [];
    const watched: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const dir = evalsFolderOf(folder);
      // Until the first eval exists, its parent tells when the evals folder appears.
      if (!existsSync(dir)) {
        if (existsSync(dirname(dir))) watched.push(dirname(dir));
        continue;
      }
      watched.push(dir);
      for (const name of readdirSync(dir).sort().reverse()) {
        const evalDir = join(dir, name);
        if (!existsSync(join(evalDir, EVAL_FILES.manifest))) continue;
        try {
          // An eval is read again only when its results changed; the writer is looked at every time.
          const key = evalFilesKey(evalDir);
          let listing = this.cache.get(evalDir)?.key === key ? this.cache.get(evalDir)!.listing : null;
          if (listing) listing.holder = engine().runHolder(evalDir);
          else listing = engine().describeEval(evalDir);
          this.cache.set(evalDir, { key, listing });
          entries.push({ listing, folder });
          watched.push(evalDir);
        } catch {
          // an eval being created or damaged is left out until it can be read
        }
      }
    }
    for (const evalDir of this.cache.keys()) if (!entries.some((e) => e.listing.evalDir === evalDir)) this.cache.delete(evalDir);
    this.watchers.set(watched);
    this.entries = entries;
    this.loaded = true;
    this.changed.fire();
  }

  all(): EvalEntry[] {
    if (!this.loaded) this.refresh();
    return this.entries;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watchers.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
