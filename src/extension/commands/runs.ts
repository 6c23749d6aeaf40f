import * as vscode from 'vscode';
import { engine } from '../lazy';
import type { RunRegistry } from '../run-registry';
import type { RunEntry, SampleIndex } from '../sample-index';

/** A run chosen from a Runs view item, a path argument, or a quick pick. */
export async function resolveRunDir(index: SampleIndex, arg: unknown, placeHolder: string): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'entry' in arg) return (arg as { entry: RunEntry }).entry.runDir;
  const runs = index.allRuns();
  if (!runs.length) {
    const choice = await vscode.window.showInformationMessage('Repo Specializer: there are no runs yet.', 'Generate Samples');
    if (choice) void vscode.commands.executeCommand('repoSpecializer.generateSamples');
    return undefined;
  }
  if (runs.length === 1) return runs[0].runDir;
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.runId, description: `${r.samples.length}/${r.planned} samples · ${r.folder.name}`, detail: r.model, runDir: r.runDir })),
    { placeHolder },
  );
  return pick?.runDir;
}

export async function cancelRunCommand(registry: RunRegistry, index: SampleIndex, arg: unknown): Promise<void> {
  const active = registry.all();
  if (!active.length) {
    void vscode.window.showInformationMessage('Repo Specializer: no run is going on.');
    return;
  }
  let runDir = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && 'entry' in arg ? (arg as { entry: RunEntry }).entry.runDir : undefined;
  if (!runDir) {
    runDir =
      active.length === 1
        ? active[0].runDir
        : (await vscode.window.showQuickPick(active.map((r) => ({ label: r.runDir.split(/[\\/]/).pop()!, description: r.folder.name, runDir: r.runDir })), { placeHolder: 'Which run should stop?' }))?.runDir;
  }
  const run = runDir ? registry.get(runDir) : undefined;
  if (!run) return;
  run.controller.abort();
  index.scheduleRefresh();
  void vscode.window.showInformationMessage('Repo Specializer: stopping the run; finished samples are kept and Resume Run continues it.');
}

export async function deleteRunCommand(registry: RunRegistry, index: SampleIndex, arg: unknown): Promise<void> {
  const runDir = await resolveRunDir(index, arg, 'Which run should be deleted?');
  if (!runDir) return;
  if (registry.get(runDir)) {
    void vscode.window.showWarningMessage('Repo Specializer: cancel the run before deleting it.');
    return;
  }
  const holder = engine().runHolder(runDir);
  if (holder) {
    void vscode.window.showWarningMessage(`Repo Specializer: process ${holder.pid} is generating into this run; stop it before deleting the run.`);
    return;
  }
  const choice = await vscode.window.showWarningMessage(`Delete the run ${runDir.split(/[\\/]/).pop()} with all its samples, trajectories and decisions? This cannot be undone.`, { modal: true }, 'Delete');
  if (choice !== 'Delete') return;
  index.deleteRun(runDir);
}

export async function revealRunCommand(index: SampleIndex, arg: unknown): Promise<void> {
  const runDir = await resolveRunDir(index, arg, 'Which run folder should be revealed?');
  if (runDir) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(runDir));
}
