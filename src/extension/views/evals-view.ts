import * as vscode from 'vscode';
import type { EvalEntry, EvalIndex } from '../eval-index';
import { evalRowText } from '../view-models/eval-item';

export type EvalItem = { kind: 'eval'; entry: EvalEntry };

/** The Evals view: every eval run of the workspace, with its task source, models and progress. */
export class EvalsView implements vscode.TreeDataProvider<EvalItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EvalItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly index: EvalIndex) {
    this.disposables = [vscode.window.registerTreeDataProvider('repoSpecializer.evals', this), index.onDidChange(() => this.changed.fire(undefined)), this.changed];
  }

  getChildren(element?: EvalItem): EvalItem[] {
    if (element) return [];
    return this.index.all().map((entry) => ({ kind: 'eval', entry }));
  }

  getTreeItem({ entry }: EvalItem): vscode.TreeItem {
    const l = entry.listing;
    const text = evalRowText(l);
    const t = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
    t.id = `eval:${l.evalDir}`;
    t.description = text.description;
    t.tooltip = new vscode.MarkdownString([...text.tooltip, `\`${l.evalDir}\``].join('\n\n'));
    const finished = l.tasksDone === l.tasks;
    t.iconPath = new vscode.ThemeIcon(l.holder ? 'sync~spin' : finished ? 'graph' : 'debug-pause');
    t.contextValue = l.holder ? 'eval-running' : 'eval';
    t.command = { command: 'repoSpecializer.openEvalRun', title: 'Open Eval Run', arguments: [l.evalDir] };
    return t;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
