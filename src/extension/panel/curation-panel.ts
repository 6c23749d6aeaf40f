import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { isRunDir } from '../../core/store';
import type { PanelState } from '../../protocol';
import { PanelController, type PanelExporter, type PanelPorts } from './controller';
import { makeNonce, renderPanelHtml } from './html';
import { PatchContentProvider } from './patch-content-provider';
import { RunWatcher } from './run-watcher';

export const PANEL_VIEW_TYPE = 'repoSpecializer.curation';

export interface PanelDeps {
  log: (line: string) => void;
  exporter: PanelExporter | null;
}

export function panelOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Only our own bundle and stylesheet can be loaded; nothing from the workspace or the run.
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
    // The webview keeps its own state (setState) and is rebuilt from the host's data when shown again.
    retainContextWhenHidden: false,
    enableFindWidget: false,
  };
}

/** Gives a panel its icon and the webview page, started as the curation panel or the eval view. */
export function loadPanelPage(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, view: 'curation' | 'eval'): void {
  const webview = panel.webview;
  panel.iconPath = { light: vscode.Uri.joinPath(context.extensionUri, 'media', 'panel-icon-light.svg'), dark: vscode.Uri.joinPath(context.extensionUri, 'media', 'panel-icon.svg') };
  webview.html = renderPanelHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'panel.css')).toString(),
    title: panel.title,
    view,
  });
}

/**
 * One curation panel per run directory: created or revealed by openCurationPanel, revived by the
 * serializer after a reload, and disposed with its watcher and controller.
 */
export class CurationPanel {
  private static readonly open = new Map<string, CurationPanel>();
  private readonly controller: PanelController;
  private readonly watcher: RunWatcher;
  private readonly disposables: vscode.Disposable[] = [];

  static key(runDir: string): string {
    return resolve(runDir);
  }

  static createOrShow(context: vscode.ExtensionContext, runDir: string, deps: PanelDeps, functionId?: string): CurationPanel {
    const key = CurationPanel.key(runDir);
    const existing = CurationPanel.open.get(key);
    if (existing) {
      existing.panel.reveal();
      if (functionId) existing.controller.focusFunction(functionId);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Curation', vscode.ViewColumn.Active, panelOptions(context));
    return new CurationPanel(panel, context, key, deps, functionId);
  }

  /** The serializer's half: a panel VS Code restored after a reload, with the webview's saved state. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, state: unknown, deps: PanelDeps): void {
    const runDir = typeof (state as PanelState | undefined)?.runDir === 'string' ? (state as PanelState).runDir : '';
    if (!runDir || !isRunDir(runDir)) {
      panel.webview.options = { enableScripts: false };
      panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>This curation panel's run directory${runDir ? ` (${runDir.replace(/[<>&]/g, '')})` : ''} is gone. Close the panel and open the run again from the Runs view.</p></body></html>`;
      return;
    }
    const key = CurationPanel.key(runDir);
    CurationPanel.open.get(key)?.panel.dispose();
    panel.webview.options = panelOptions(context);
    new CurationPanel(panel, context, key, deps);
  }

  /** The loaded run of an open panel, so diff documents need not reread samples.jsonl. */
  static recordOf(runDir: string, id: string) {
    return CurationPanel.open.get(CurationPanel.key(runDir))?.controller.model.record(id);
  }

  private constructor(readonly panel: vscode.WebviewPanel, context: vscode.ExtensionContext, private readonly key: string, deps: PanelDeps, functionId?: string) {
    CurationPanel.open.set(key, this);
    const webview = panel.webview;
    const ports: PanelPorts = {
      post: (message) => void webview.postMessage(message),
      log: deps.log,
      showDiff: async (plan) => {
        if (plan.files) {
          // Several files: one multi-file diff editor, each file after P1 beside the same file after P2.
          const resources = plan.files.map((f) => [PatchContentProvider.uri(f.right), PatchContentProvider.uri(f.left), PatchContentProvider.uri(f.right)]);
          try {
            await vscode.commands.executeCommand('vscode.changes', plan.title, resources);
            return;
          } catch (error) {
            deps.log(`Curation panel: the multi-file diff editor is not available (${error instanceof Error ? error.message : String(error)}); showing the first file.`);
          }
        }
        await vscode.commands.executeCommand('vscode.diff', PatchContentProvider.uri(plan.left), PatchContentProvider.uri(plan.right), plan.title, { preview: true });
      },
      openFile: async (path, line) => {
        const position = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
        await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: true, viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(position, position) });
      },
      reveal: async (path) => {
        const uri = vscode.Uri.file(path);
        // The Explorer view can only show folders of the workspace; anything else opens in the OS file manager.
        if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
        else await vscode.commands.executeCommand('revealFileInOS', uri);
      },
      chooseFolder: async (current) => {
        const picked = await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          canSelectMany: false,
          openLabel: 'Export Here',
          title: 'Folder for the exported dataset',
          ...(current ? { defaultUri: vscode.Uri.file(current) } : {}),
        });
        return picked?.[0]?.fsPath;
      },
    };
    this.controller = new PanelController(key, ports, { functionId, exporter: deps.exporter });
    const run = this.controller.model.manifest;
    panel.title = `Curation: ${run.repository?.name ?? ''} ${run.runId}`.replace(/\s+/g, ' ').trim();
    loadPanelPage(panel, context, 'curation');
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => void this.controller.receive(message)),
      panel.onDidDispose(() => this.dispose()),
    );
    this.watcher = new RunWatcher(key, () => this.controller.refresh());
  }

  private dispose(): void {
    if (CurationPanel.open.get(this.key) === this) CurationPanel.open.delete(this.key);
    this.watcher.dispose();
    this.controller.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
