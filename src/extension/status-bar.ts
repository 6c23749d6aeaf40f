import * as vscode from 'vscode';
import type { RunRegistry } from './run-registry';

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
    const sum = (f: 'done' | 'total' | 'verified' | 'below' | 'failed') => runs.reduce((n, r) => n + (r.progress?.[f] ?? 0), 0);
    this.item.text = `$(sync~spin) Samples ${sum('done')}/${sum('total')} $(pass) ${sum('verified')} $(circle-slash) ${sum('below')} $(error) ${sum('failed')}`;
    this.item.tooltip = `Repo Specializer: ${runs.length} run${runs.length > 1 ? 's' : ''} going on: ${sum('done')} of ${sum('total')} samples done, ${sum('verified')} verified, ${sum('below')} below threshold, ${sum('failed')} failed. Click to open the curation panel.`;
    this.item.command = { command: 'repoSpecializer.openCurationPanel', title: 'Open Curation Panel', arguments: [runs[0].runDir] };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
