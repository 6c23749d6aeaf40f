import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('repoSpecializer.scanWorkspace', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) {
        void vscode.window.showErrorMessage('Repo Specializer: open a folder first; it scans the functions of the open repository.');
        return;
      }
      const { scanRepository } = await import('../core/functions');
      const result = await scanRepository(folder.uri.fsPath);
      void vscode.window.showInformationMessage(`Repo Specializer: ${result.functions.length} functions in ${result.filesScanned} files.`);
    }),
  );
}

export function deactivate(): void {}
