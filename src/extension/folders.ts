import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

/** A workspace folder that is a git repository; multi-root workspaces ask which one. */
export async function pickGitFolder(purpose: string): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) {
    void vscode.window.showErrorMessage('Repo Specializer: open a folder that holds a git repository first.', 'Open Folder').then((c) => {
      if (c) void vscode.commands.executeCommand('vscode.openFolder');
    });
    return undefined;
  }
  let folder: vscode.WorkspaceFolder | undefined = folders[0];
  if (folders.length > 1) {
    folder = await vscode.window.showWorkspaceFolderPick({ placeHolder: `Which folder should Repo Specializer ${purpose}?` });
    if (!folder) return undefined;
  }
  if (!isGitRepository(folder.uri.fsPath)) {
    void vscode.window.showErrorMessage(`Repo Specializer: ${folder.name} is not a git repository. Rollouts run in git worktrees of a commit; run \`git init\` and commit, or open the repository's folder.`);
    return undefined;
  }
  return folder;
}

export function isGitRepository(path: string): boolean {
  let dir = path;
  for (;;) {
    if (existsSync(join(dir, '.git'))) return true;
    const parent = join(dir, '..');
    if (parent === dir) return false;
    dir = parent;
  }
}

/** Scanning works in any folder, git or not. */
export async function pickAnyFolder(purpose: string): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) {
    if (!folders.length) void vscode.window.showErrorMessage('Repo Specializer: open a folder first.');
    return folders[0];
  }
  return vscode.window.showWorkspaceFolderPick({ placeHolder: `Which folder should Repo Specializer ${purpose}?` });
}
