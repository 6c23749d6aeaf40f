import * as vscode from 'vscode';
import type { RunRegistry } from './run-registry';
import { statusBarText } from './view-models/run-item';

/** Live counts of the runs going on; hidden when none is. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('repoSpecializer.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly registry: RunRegistry) {
    this.item.name = 'Repo Specializer';
    this.subscription = registry.onDidChange(() => this.render());
  }

  private render(): void {
    const runs = this.registry.all();
    if (!runs.length) {
      this.item.hide();
      return;
    }
    const { text, tooltip } = statusBarText(runs.map((r) => r.progress));
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = { command: 'repoSpecializer.openCurationPanel', title: 'Open Curation Panel', arguments: [runs[0].runDir] };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
