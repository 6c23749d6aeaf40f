import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { EVAL_FILES } from '../../core/eval/eval-dir';
import type { EvalPanelState } from '../../protocol';
import { loadPanelPage, panelOptions } from './curation-panel';
import { EvalController } from './eval-controller';
import { RunWatcher } from './run-watcher';

export const EVAL_VIEW_TYPE = 'repoSpecializer.eval';

/**
 * One eval view per eval run: the models side by side and any task's reference next to any
 * model's patch. The same webview bundle as the curation panel, started as the eval view.
 */
export class EvalPanel {
  private static readonly open = new Map<string, EvalPanel>();
  private readonly controller: EvalController;
  private readonly watcher: RunWatcher;
  private readonly disposables: vscode.Disposable[] = [];

  static createOrShow(context: vscode.ExtensionContext, evalDir: string, log: (line: string) => void): EvalPanel {
    const existing = EvalPanel.open.get(resolve(evalDir));
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(EVAL_VIEW_TYPE, 'Eval', vscode.ViewColumn.Active, panelOptions(context));
    return new EvalPanel(panel, context, resolve(evalDir), log);
  }

  /** A view VS Code restored after a reload, with the webview's saved state. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, state: unknown, log: (line: string) => void): void {
    const evalDir = typeof (state as EvalPanelState | undefined)?.evalDir === 'string' ? (state as EvalPanelState).evalDir : '';
    if (!evalDir || !existsSync(join(evalDir, EVAL_FILES.manifest))) {
      panel.webview.options = { enableScripts: false };
      panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>This eval run${evalDir ? ` (${evalDir.replace(/[<>&]/g, '')})` : ''} is gone. Close the view and open an eval from the Evals view.</p></body></html>`;
      return;
    }
    EvalPanel.open.get(resolve(evalDir))?.panel.dispose();
    panel.webview.options = panelOptions(context);
    new EvalPanel(panel, context, resolve(evalDir), log);
  }

  private constructor(readonly panel: vscode.WebviewPanel, context: vscode.ExtensionContext, private readonly key: string, log: (line: string) => void) {
    EvalPanel.open.set(key, this);
    const webview = panel.webview;
    this.controller = new EvalController(key, {
      post: (message) => void webview.postMessage(message),
      log,
      openFile: async (path) => {
        await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: true, viewColumn: vscode.ViewColumn.Beside });
      },
    });
    panel.title = `Eval: ${key.split(/[\\/]/).pop()}`;
    loadPanelPage(panel, context, 'eval');
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => void this.controller.receive(message)),
      panel.onDidDispose(() => this.dispose()),
    );
    this.watcher = new RunWatcher(key, () => this.controller.refresh());
  }

  private dispose(): void {
    if (EvalPanel.open.get(this.key) === this) EvalPanel.open.delete(this.key);
    this.watcher.dispose();
    this.controller.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
