import * as vscode from 'vscode';
import { CurationPanel, PANEL_VIEW_TYPE, type PanelDeps } from './curation-panel';
import { EvalPanel, EVAL_VIEW_TYPE } from './eval-panel';
import { datasetExporter } from './export-bridge';
import { PatchContentProvider } from './patch-content-provider';
import { PATCH_SCHEME, readRecordFromDisk } from './virtual-documents';

export { PANEL_VIEW_TYPE } from './curation-panel';
export { PATCH_SCHEME } from './virtual-documents';

// Revived panels have no caller to pass a logger, so they use the one the extension gave last.
let lastLog: (line: string) => void = (line) => console.log(line);

function deps(log?: (line: string) => void): PanelDeps {
  if (log) lastLog = log;
  return { log: lastLog, exporter: datasetExporter };
}

/**
 * Shows the curation panel of a run directory, creating it if needed (one panel per run).
 * `functionId` filters the list to one function: a function id from the scan, or the CodeLens key
 * `${file}\0${qualifiedName}`.
 */
export function openCurationPanel(context: vscode.ExtensionContext, runDir: string, options?: { functionId?: string; log?: (line: string) => void }): void {
  CurationPanel.createOrShow(context, runDir, deps(options?.log), options?.functionId);
}

/** Shows the eval view of an eval run directory, creating it if needed (one view per eval). */
export function openEvalPanel(context: vscode.ExtensionContext, evalDir: string, options?: { log?: (line: string) => void }): void {
  if (options?.log) lastLog = options.log;
  EvalPanel.createOrShow(context, evalDir, (line) => lastLog(line));
}

/** Registers the panel serializer (panels come back after a reload) and the read-only diff documents. Call once in activate. */
export function registerCurationPanel(context: vscode.ExtensionContext, options?: { log?: (line: string) => void }): vscode.Disposable {
  if (options?.log) lastLog = options.log;
  const provider = new PatchContentProvider((runDir, id) => CurationPanel.recordOf(runDir, id) ?? readRecordFromDisk(runDir, id));
  return vscode.Disposable.from(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => CurationPanel.revive(panel, context, state, deps()),
    }),
    vscode.window.registerWebviewPanelSerializer(EVAL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => EvalPanel.revive(panel, context, state, (line) => lastLog(line)),
    }),
    vscode.workspace.registerTextDocumentContentProvider(PATCH_SCHEME, provider),
  );
}
export { setKnownSecretsProvider } from './export-bridge';
