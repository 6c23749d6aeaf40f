import * as vscode from 'vscode';
import { SECTION, validateSettings, type ExtensionSettings } from './model/settings';

/** Reads the settings of a folder; a problem is shown once as a notification naming the setting. */
export function readSettings(folder?: vscode.WorkspaceFolder): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SECTION, folder?.uri);
  const { settings, problems } = validateSettings((key) => config.get(key));
  for (const p of problems) {
    void vscode.window.showWarningMessage(`Repo Specializer: ${p.message}`, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', p.setting);
    });
  }
  return settings;
}

export const API_KEY_SECRET = 'repoSpecializer.teacherApiKey';
