import * as vscode from 'vscode';
import { engine } from '../lazy';
import type { Log } from '../log';
import { SECTION } from '../view-models/settings';
import { TEACHER_PRESETS } from '../view-models/teacher-presets';
import { API_KEY_SECRET, readSettings } from '../settings';

export async function configureTeacherCommand(context: vscode.ExtensionContext): Promise<void> {
  const preset = await vscode.window.showQuickPick(
    TEACHER_PRESETS.map((p) => ({ label: p.label, description: p.baseUrl, detail: p.detail, preset: p })),
    { title: 'Configure Teacher (1/3)', placeHolder: 'Where does the teacher model run?' },
  );
  if (!preset) return;
  const current = readSettings();
  const baseUrl = await vscode.window.showInputBox({
    title: 'Configure Teacher (2/3)',
    prompt: 'Base URL of the OpenAI-compatible endpoint (several: separate with commas)',
    value: preset.preset.baseUrl || current.baseUrls.join(','),
    validateInput: (v) => {
      for (const u of v.split(',').map((x) => x.trim()).filter(Boolean)) {
        try {
          if (!/^https?:$/.test(new URL(u).protocol)) return `${u} is not an http(s) URL`;
        } catch {
          return `${u} is not a URL, e.g. http://localhost:11434/v1`;
        }
      }
      return v.trim() ? undefined : 'Give at least one URL';
    },
  });
  if (!baseUrl) return;
  const baseUrls = baseUrl.split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean);
  if (preset.preset.needsKey && !(await context.secrets.get(API_KEY_SECRET))) {
    await setApiKeyCommand(context);
  }
  let model: string | undefined;
  const listed = await listModels(context, baseUrls);
  if (listed.length) {
    model = (await vscode.window.showQuickPick(listed, { title: 'Configure Teacher (3/3)', placeHolder: 'Which model is the teacher?' })) ?? undefined;
  } else {
    model = await vscode.window.showInputBox({ title: 'Configure Teacher (3/3)', prompt: 'Model name as the endpoint knows it', value: current.model || preset.preset.modelHint });
  }
  if (model === undefined) return;
  const config = vscode.workspace.getConfiguration(SECTION);
  // User settings: a teacher belongs to the developer, and writing .vscode/ would change the repository.
  const target = vscode.ConfigurationTarget.Global;
  await config.update('teacher.baseUrls', baseUrls, target);
  await config.update('teacher.model', model, target);
  const choice = await vscode.window.showInformationMessage(`Repo Specializer: teacher set to ${model} at ${baseUrls.join(', ')}.`, 'Test Connection');
  if (choice) await vscode.commands.executeCommand('repoSpecializer.testConnection');
}

async function listModels(context: vscode.ExtensionContext, baseUrls: string[]): Promise<string[]> {
  return engine().listTeacherModels({ baseUrls, apiKey: await context.secrets.get(API_KEY_SECRET), timeoutMs: 5000, maxRetries: 0 });
}

export async function setApiKeyCommand(context: vscode.ExtensionContext): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: 'Set Teacher API Key',
    prompt: 'Stored in VS Code\'s secret storage only; never written to settings, logs or run files.',
    password: true,
    ignoreFocusOut: true,
  });
  if (!key) return;
  await context.secrets.store(API_KEY_SECRET, key.trim());
  void vscode.window.showInformationMessage('Repo Specializer: the teacher API key is stored in secret storage.');
}

export async function clearApiKeyCommand(context: vscode.ExtensionContext): Promise<void> {
  await context.secrets.delete(API_KEY_SECRET);
  void vscode.window.showInformationMessage('Repo Specializer: the teacher API key was removed from secret storage.');
}

export async function testConnectionCommand(context: vscode.ExtensionContext, log: Log): Promise<void> {
  const settings = readSettings();
  const apiKey = await context.secrets.get(API_KEY_SECRET);
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Repo Specializer: testing ${settings.baseUrls.join(', ')}` },
    () => engine().checkConnection({ baseUrls: settings.baseUrls, model: settings.model, apiKey, timeoutMs: 60_000, maxRetries: 1 }),
  );
  log.info(`Connection test: ok=${report.ok}, tool calls ${report.toolCalls}, ${report.models.length} models listed, ${Math.round(report.ms)} ms${report.error ? `, ${report.error}` : ''}.`);
  if (report.ok) {
    const how = report.toolCalls === 'native' ? 'native tool calls' : 'tool calls written as text (handled by the fallback parser)';
    void vscode.window.showInformationMessage(`Repo Specializer: the teacher answers with ${how} (${Math.round(report.ms)} ms).`);
  } else {
    const choice = await vscode.window.showErrorMessage(`Repo Specializer: ${report.error ?? 'the teacher did not answer a tool call.'}`, 'Configure Teacher', 'Open Settings', 'Show Log');
    if (choice === 'Configure Teacher') void vscode.commands.executeCommand('repoSpecializer.configureTeacher');
    if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'repoSpecializer.teacher');
    if (choice === 'Show Log') log.show();
  }
}
