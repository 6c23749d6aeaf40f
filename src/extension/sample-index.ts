import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { FILES, RUNS_FOLDER } from '../core/defaults';
import type { DecisionRecord, SampleRecord } from '../core/store/records';
import { DirWatchers } from './dir-watchers';
import { engine } from './lazy';
import { groupSamples, type SampleGroups } from './view-models/codelens';
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
  /** The run's P1 line limit (samples over it are too-large); 0: none, or a run older than the limit. */
  maxP1Lines: number;
  /** Another process generating into the run right now (the CLI, another window), read at every refresh. */
  holder: { pid: number; host: string } | null;
}

/** Sizes and modification times of the files a run entry is read from. */
function fileKey(runDir: string): string {
  return [FILES.manifest, FILES.plan, FILES.samples, FILES.decisions]
    .map((name) => {
      try {
        const st = statSync(join(runDir, name));
        return `${st.size}:${st.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

export function runsFolderOf(folder: vscode.WorkspaceFolder): string {
  const configured = readSettings(folder).runsFolder;
  if (!configured) return join(folder.uri.fsPath, ...RUNS_FOLDER);
  return configured.startsWith('/') || /^[A-Za-z]:[\\/]/.test(configured) ? configured : join(folder.uri.fsPath, configured);
}

/**
 * Every run of every workspace folder, read from disk and refreshed (debounced) when a run's
 * files change. Feeds the Runs view, CodeLens and the Functions view's sample counts.
 */
export class SampleIndex implements vscode.Disposable {
  private runs: RunEntry[] = [];
  private stats = new Map<string, SampleGroups>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private loaded = false;
  /** Direct watchers on run folders: VS Code's workspace watcher does not report files under git-ignored folders everywhere (code-server). */
  private readonly fsWatchers = new DirWatchers((name) => /^(samples|decisions|plan)\.jsonl$|^run\.json$/.test(name) || !name.includes('.'), () => this.scheduleRefresh());
  private readonly cache = new Map<string, { key: string; entry: RunEntry }>();

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${RUNS_FOLDER.join('/')}/*/{${FILES.samples},${FILES.decisions},${FILES.plan}}`);
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
          // A run is read again only when one of its files changed: a live run refreshes this
          // index after every sample, and re-reading every run's patches each time would not scale.
          const key = fileKey(runDir);
          const cached = this.cache.get(runDir);
          if (cached && cached.key === key && cached.entry.folder === folder) {
            cached.entry.holder = e.runHolder(runDir);
            runs.push(cached.entry);
            continue;
          }
          const state = e.readRunState(runDir);
          const entry: RunEntry = {
            runDir,
            runId: state.manifest.runId,
            folder,
            planned: state.plan.length,
            samples: [...state.finished.values()],
            decisions: e.readDecisions(runDir),
            createdAt: state.manifest.createdAt,
            model: state.manifest.settings.teacher.model,
            maxP1Lines: state.manifest.settings.maxP1Lines ?? 0,
            holder: e.runHolder(runDir),
          };
          this.cache.set(runDir, { key, entry });
          runs.push(entry);
        } catch {
          // a run directory being created or damaged is left out until it can be read
        }
      }
    }
    this.runs = runs;
    for (const runDir of this.cache.keys()) if (!runs.some((r) => r.runDir === runDir)) this.cache.delete(runDir);
    this.fsWatchers.set([...(vscode.workspace.workspaceFolders ?? []).map((f) => runsFolderOf(f)).filter((d) => existsSync(d)), ...runs.map((r) => r.runDir)]);
    this.stats = new Map();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      this.stats.set(folder.uri.toString(), groupSamples(runs.filter((r) => r.folder === folder)));
    }
    this.loaded = true;
    this.changed.fire();
  }

  allRuns(): RunEntry[] {
    if (!this.loaded) this.refresh();
    return this.runs;
  }

  /** The folder's samples by file and qualified name; statsForDefinitions gives each definition its own. */
  samplesFor(folder: vscode.WorkspaceFolder): SampleGroups {
    if (!this.loaded) this.refresh();
    return this.stats.get(folder.uri.toString()) ?? new Map();
  }

  deleteRun(runDir: string): void {
    rmSync(runDir, { recursive: true, force: true });
    this.refresh();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.fsWatchers.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
