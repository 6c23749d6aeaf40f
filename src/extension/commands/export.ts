import * as vscode from 'vscode';
import { FORMAT_INFO, FORMATS } from '../../core/dataset/options';
import { engine } from '../lazy';
import type { Log } from '../log';
import type { SampleIndex } from '../sample-index';
import { API_KEY_SECRET } from '../settings';
import { defaultExportFolder } from '../view-models/export-folder';
import { nothingPassesAdvice, removedText } from '../view-models/removed';
import { resolveRunDir } from './runs';

const FORMAT_PICKS = FORMATS.map((format) => ({ label: format, format, detail: FORMAT_INFO[format].detail }));

/** Export Dataset: choose a run, a format and a folder; shows the count before writing and progress while writing. */
export async function exportDatasetCommand(context: vscode.ExtensionContext, index: SampleIndex, log: Log, arg: unknown): Promise<void> {
  const runDir = await resolveRunDir(index, arg, 'Which run do you want to export?');
  if (!runDir) return;
  const pick = await vscode.window.showQuickPick(FORMAT_PICKS, { title: 'Export Dataset', placeHolder: 'Dataset format' });
  if (!pick) return;
  const entry = index.allRuns().find((r) => r.runDir === runDir);
  const target = await vscode.window.showSaveDialog({
    title: 'Export Dataset: folder to create',
    saveLabel: 'Export',
    defaultUri: vscode.Uri.file(defaultExportFolder(runDir, pick.format)),
  });
  if (!target) return;
  const d = engine().dataset;
  const apiKey = await context.secrets.get(API_KEY_SECRET);
  const common = { runDirs: [runDir], format: pick.format, knownSecrets: apiKey ? [apiKey] : [], checkouts: entry ? [entry.folder.uri.fsPath] : [] };
  const preview = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Repo Specializer: selecting samples' }, () => d.previewExport(common));
  if (!preview.selected) {
    const removed = removedText(preview.removedBy);
    void vscode.window.showWarningMessage(`Repo Specializer: no trajectory passes the selection${removed ? ` (${removed})` : ''}. ${nothingPassesAdvice(preview.removedBy)}`);
    return;
  }
  const go = await vscode.window.showInformationMessage(`Export ${preview.selected} trajectories from ${preview.samples} samples as ${pick.format} to ${target.fsPath}?`, { modal: true }, 'Export');
  if (go !== 'Export') return;
  const controller = new AbortController();
  const report = await vscode.window
    .withProgress({ location: vscode.ProgressLocation.Notification, title: 'Repo Specializer: exporting', cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      let last = 0;
      return d.exportDataset({ ...common, out: target.fsPath }, (p) => {
        if (!p.total) return;
        const pct = (p.done / p.total) * 100;
        progress.report({ message: `${p.written} written`, increment: pct - last });
        last = pct;
      }, controller.signal);
    })
    .then(undefined, (error: unknown) => {
      if (!controller.signal.aborted) throw error;
      return null; // the user cancelled: not an error, and the export wrote nothing
    });
  if (!report) {
    void vscode.window.showInformationMessage(`Repo Specializer: export cancelled; nothing was written to ${target.fsPath}.`);
    return;
  }
  log.info(`Exported ${report.written.total} trajectories (${report.samples} samples) to ${target.fsPath}; removed: ${JSON.stringify(report.removedBy)}; redactions: ${report.redactions.total}.`);
  const choice = await vscode.window.showInformationMessage(`Repo Specializer: exported ${report.written.total} trajectories to ${target.fsPath}.`, 'Reveal in Explorer');
  if (choice) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.joinPath(target, 'data', 'train.jsonl'));
}
