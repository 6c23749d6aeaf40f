import * as vscode from 'vscode';
import { SECTION, validateSettings, type ExtensionSettings } from './view-models/settings';

/** Problems already shown; forgotten when the settings change, so a new mistake is shown again. */
const shown = new Set<string>();
let listening: vscode.Disposable | undefined;

/**
 * Reads the settings of a folder. Each problem is shown once as a notification naming the
 * setting, not on every read: views and file watchers read settings often.
 */
export function readSettings(folder?: vscode.WorkspaceFolder): ExtensionSettings {
  listening ??= vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) shown.clear();
  });
  const config = vscode.workspace.getConfiguration(SECTION, folder?.uri);
  const { settings, problems } = validateSettings((key) => config.get(key));
  for (const p of problems) {
    if (shown.has(p.message)) continue;
    shown.add(p.message);
    void vscode.window.showWarningMessage(`Repo Specializer: ${p.message}`, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', p.setting);
    });
  }
  return settings;
}

export const API_KEY_SECRET = 'repoSpecializer.teacherApiKey';
