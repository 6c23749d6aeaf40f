import { existsSync, readdirSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DecisionRecord, SampleRecord } from '../core/store/records';
import { engine } from './lazy';
import { collectStats, type FunctionSampleStats } from './model/codelens';
import { readSettings } from './settings';

export interface RunEntry {
  runDir: string;
  runId: string;
  folder: vscode.WorkspaceFolder;
  planned: number;
  samples: SampleRecord[];
  decisions: Map<string, DecisionRecord>;
  createdAt: string;
  model: string;
}

export function runsFolderOf(folder: vscode.WorkspaceFolder): string {
  const configured = readSettings(folder).runsFolder;
  if (!configured) return join(folder.uri.fsPath, '.specializer', 'runs');
  return configured.startsWith('/') || /^[A-Za-z]:[\\/]/.test(configured) ? configured : join(folder.uri.fsPath, configured);
}

/**
 * Every run of every workspace folder, read from disk and refreshed (debounced) when a run's
 * files change. Feeds the Runs view, CodeLens and the Functions view's sample counts.
 */
export class SampleIndex implements vscode.Disposable {
  private runs: RunEntry[] = [];
  private stats = new Map<string, Map<string, FunctionSampleStats>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private loaded = false;
  /** Direct watchers on run folders: VS Code's workspace watcher does not report files under git-ignored folders everywhere (code-server). */
  private readonly fsWatchers = new Map<string, FSWatcher>();

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.specializer/runs/*/{samples,decisions,plan}.jsonl');
    const schedule = () => this.scheduleRefresh();
    this.disposables.push(watcher, watcher.onDidChange(schedule), watcher.onDidCreate(schedule), watcher.onDidDelete(schedule), this.changed);
  }

  scheduleRefresh(delayMs = 400): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), delayMs);
  }

  refresh(): void {
    const runs: RunEntry[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const dir = runsFolderOf(folder);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).sort().reverse()) {
        const runDir = join(dir, name);
        try {
          const e = engine();
          if (!e.isRunDir(runDir)) continue;
          const state = e.readRunState(runDir);
          runs.push({
            runDir,
            runId: state.manifest.runId,
            folder,
            planned: state.plan.length,
            samples: [...state.finished.values()],
            decisions: e.readDecisions(runDir),
            createdAt: state.manifest.createdAt,
            model: state.manifest.settings.teacher.model,
          });
        } catch {
          // a run directory being created or damaged is left out until it can be read
        }
      }
    }
    this.runs = runs;
    this.watchFolders([...(vscode.workspace.workspaceFolders ?? []).map((f) => runsFolderOf(f)).filter((d) => existsSync(d)), ...runs.map((r) => r.runDir)]);
    this.stats = new Map();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      this.stats.set(folder.uri.toString(), collectStats(runs.filter((r) => r.folder === folder)));
    }
    this.loaded = true;
    this.changed.fire();
  }

  private watchFolders(dirs: string[]): void {
    const wanted = new Set(dirs);
    for (const [dir, watcher] of this.fsWatchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.fsWatchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (this.fsWatchers.has(dir)) continue;
      try {
        const watcher = watch(dir, (_event, name) => {
          if (!name || /^(samples|decisions|plan)\.jsonl$|^run\.json$/.test(String(name)) || !String(name).includes('.')) this.scheduleRefresh();
        });
        watcher.on('error', () => this.fsWatchers.delete(dir));
        this.fsWatchers.set(dir, watcher);
      } catch {
        // a folder that vanished meanwhile
      }
    }
  }

  allRuns(): RunEntry[] {
    if (!this.loaded) this.refresh();
    return this.runs;
  }

  statsFor(folder: vscode.WorkspaceFolder): Map<string, FunctionSampleStats> {
    if (!this.loaded) this.refresh();
    return this.stats.get(folder.uri.toString()) ?? new Map();
  }

  deleteRun(runDir: string): void {
    rmSync(runDir, { recursive: true, force: true });
    this.refresh();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.fsWatchers.values()) w.close();
    for (const d of this.disposables) d.dispose();
  }
}
