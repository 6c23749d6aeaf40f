import * as vscode from 'vscode';
import type { RunRegistry } from '../run-registry';
import type { RunEntry, SampleIndex } from '../sample-index';

export type RunItem = { kind: 'run'; entry: RunEntry };

/** The Runs view: every run with its status counts, and live progress for runs going on. */
export class RunsView implements vscode.TreeDataProvider<RunItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly index: SampleIndex,
    private readonly registry: RunRegistry,
  ) {
    this.disposables = [
      vscode.window.registerTreeDataProvider('repoSpecializer.runs', this),
      index.onDidChange(() => this.changed.fire(undefined)),
      registry.onDidChange(() => this.changed.fire(undefined)),
      this.changed,
    ];
  }

  getChildren(element?: RunItem): RunItem[] {
    if (element) return [];
    return this.index.allRuns().map((entry) => ({ kind: 'run', entry }));
  }

  getTreeItem({ entry }: RunItem): vscode.TreeItem {
    const active = this.registry.get(entry.runDir);
    const counts = { verified: 0, below: 0, failed: 0 };
    for (const s of entry.samples) {
      if (s.status === 'verified') counts.verified++;
      else if (s.status === 'below-threshold') counts.below++;
      else counts.failed++;
    }
    const done = active?.progress?.done ?? entry.samples.length;
    const total = active?.progress?.total ?? entry.planned;
    const t = new vscode.TreeItem(entry.runId, vscode.TreeItemCollapsibleState.None);
    t.id = entry.runDir;
    t.description = `${done}/${total} · ✓${active?.progress?.verified ?? counts.verified} ~${active?.progress?.below ?? counts.below} ✗${active?.progress?.failed ?? counts.failed}${active ? ' · running' : ''}`;
    t.tooltip = new vscode.MarkdownString(
      [`**${entry.runId}** (${entry.folder.name})`, `teacher: ${entry.model}`, `verified ${counts.verified}, below threshold ${counts.below}, failed ${counts.failed}, pending ${entry.planned - entry.samples.length}`, `\`${entry.runDir}\``].join('\n\n'),
    );
    t.iconPath = new vscode.ThemeIcon(active ? 'sync~spin' : entry.samples.length < entry.planned ? 'debug-pause' : 'pass');
    t.contextValue = active ? 'run-active' : entry.samples.length < entry.planned ? 'run-unfinished' : 'run-finished';
    t.command = { command: 'repoSpecializer.openCurationPanel', title: 'Open Curation Panel', arguments: [{ kind: 'run', entry }] };
    return t;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
