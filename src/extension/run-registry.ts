import * as vscode from 'vscode';
import type { RunProgress } from '../core/generation/generate';

export interface ActiveRun {
  runDir: string;
  folder: vscode.WorkspaceFolder;
  controller: AbortController;
  progress: RunProgress | undefined;
}

/** Runs going on in this window, for the status bar, the Runs view and Cancel Run. */
export class RunRegistry implements vscode.Disposable {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  add(run: ActiveRun): void {
    this.runs.set(run.runDir, run);
    this.changed.fire();
  }

  update(runDir: string, progress: RunProgress): void {
    const run = this.runs.get(runDir);
    if (!run) return;
    run.progress = progress;
    this.changed.fire();
  }

  remove(runDir: string): void {
    this.runs.delete(runDir);
    this.changed.fire();
  }

  get(runDir: string): ActiveRun | undefined {
    return this.runs.get(runDir);
  }

  all(): ActiveRun[] {
    return [...this.runs.values()];
  }

  dispose(): void {
    for (const run of this.runs.values()) run.controller.abort();
    this.changed.dispose();
  }
}
