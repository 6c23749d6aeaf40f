import { join } from 'node:path';
import * as vscode from 'vscode';
import { defaultRunId } from '../../core/store/run-dir';
import type { FunctionRecord } from '../../core/functions/types';
import type { GenerateOptions, RunSummary } from '../../core/generation/generate';
import { pickGitFolder } from '../folders';
import { engine } from '../lazy';
import type { Log } from '../log';
import { estimateTokens, formatTokens, type PastRun } from '../view-models/estimate';
import { statusPhrase } from '../view-models/run-item';
import { generateOneSample } from './one-sample';
import type { RunRegistry } from '../run-registry';
import { runsFolderOf, type SampleIndex } from '../sample-index';
import { API_KEY_SECRET, readSettings } from '../settings';
import type { FunctionsView } from '../views/functions-view';

export interface GenerateDeps {
  context: vscode.ExtensionContext;
  log: Log;
  registry: RunRegistry;
  index: SampleIndex;
  functionsView: FunctionsView;
  openPanel: (runDir: string, functionId?: string) => void;
}

/** Runs that need more than this many tokens by the estimate ask for confirmation first. */
const CONFIRM_ABOVE_TOKENS = 2_000_000;

async function requireTrust(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    'Repo Specializer: generating samples runs a teacher agent with shell commands against this repository, so it needs a trusted workspace. Scanning and curating work without trust.',
    'Manage Workspace Trust',
  );
  if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

type Scope = 'all' | 'checked' | 'file' | 'cursor';

export async function generateSamplesCommand(deps: GenerateDeps): Promise<void> {
  if (!(await requireTrust())) return;
  const folder = await pickGitFolder('generate samples for');
  if (!folder) return;
  const settings = readSettings(folder);
  const countText = await vscode.window.showInputBox({
    title: 'Generate Samples (1/2)',
    prompt: 'How many samples? Each runs two agent rollouts against the teacher.',
    value: String(settings.samples),
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 ? undefined : 'A whole number of at least 1'),
  });
  if (!countText) return;
  const samples = Number(countText);
  const editor = vscode.window.activeTextEditor;
  const inFolder = editor && vscode.workspace.getWorkspaceFolder(editor.document.uri)?.uri.toString() === folder.uri.toString();
  const picks: (vscode.QuickPickItem & { scope: Scope })[] = [
    { label: 'All functions', description: 'every function the scan finds', scope: 'all' },
    { label: 'Checked functions', description: 'the ones ticked in the Functions view', scope: 'checked' },
    ...(inFolder ? [{ label: 'Current file', description: vscode.workspace.asRelativePath(editor.document.uri), scope: 'file' as Scope }] : []),
    ...(inFolder ? [{ label: 'Function at cursor', scope: 'cursor' as Scope }] : []),
  ];
  const scope = await vscode.window.showQuickPick(picks, { title: 'Generate Samples (2/2)', placeHolder: 'Which functions may start a sample?' });
  if (!scope) return;
  const only = await selectFunctions(deps, folder, scope.scope);
  if (only === null) return;

  const estimate = estimateTokens(samples, tokenHistory(deps, folder));
  if (estimate.total > CONFIRM_ABOVE_TOKENS) {
    const go = await vscode.window.showWarningMessage(
      `Generate ${samples} samples? Estimated ${formatTokens(estimate.total)} tokens: ${estimate.explanation}.`,
      { modal: true },
      'Generate',
    );
    if (go !== 'Generate') return;
  }
  await startRun(deps, folder, { samples, onlyFunctions: only });
}

/** Samples and tokens of this folder's earlier runs, for the estimate before a run. */
export function tokenHistory(deps: GenerateDeps, folder: vscode.WorkspaceFolder): PastRun[] {
  return deps.index
    .allRuns()
    .filter((r) => r.folder === folder)
    .map((r) => ({ finishedSamples: r.samples.length, tokens: r.samples.reduce((n, s) => n + s.usage.promptTokens + s.usage.completionTokens, 0) }));
}

/** The functions a scope allows; undefined means no restriction, null means the user gave up. */
async function selectFunctions(deps: GenerateDeps, folder: vscode.WorkspaceFolder, scope: Scope): Promise<{ file: string; qualifiedName: string }[] | undefined | null> {
  if (scope === 'all') return undefined;
  let functions = deps.functionsView.functionsOf(folder);
  if (!functions) functions = (await deps.functionsView.scanFolder(folder)).functions;
  let chosen: FunctionRecord[] = [];
  if (scope === 'checked') chosen = deps.functionsView.checkedFunctions(folder);
  else {
    const editor = vscode.window.activeTextEditor!;
    const file = vscode.workspace.asRelativePath(editor.document.uri, false);
    const inFile = functions.filter((f) => f.file === file);
    if (scope === 'file') chosen = inFile;
    else {
      const line = editor.selection.active.line + 1;
      const around = inFile.filter((f) => f.startLine <= line && line <= f.endLine).sort((a, b) => b.startLine - a.startLine);
      chosen = around.slice(0, 1);
    }
  }
  if (!chosen.length) {
    void vscode.window.showWarningMessage(`Repo Specializer: no function matches "${scope}". Scan the workspace, tick functions in the Functions view, or put the cursor inside a function.`);
    return null;
  }
  return chosen.map((f) => ({ file: f.file, qualifiedName: f.qualifiedName }));
}

export async function generateForFunctionCommand(deps: GenerateDeps, uri?: vscode.Uri, fn?: { file: string; qualifiedName: string }): Promise<void> {
  if (!(await requireTrust())) return;
  let target = fn;
  let folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
  if (!target) {
    const editor = vscode.window.activeTextEditor;
    folder = editor ? vscode.workspace.getWorkspaceFolder(editor.document.uri) : undefined;
    if (!editor || !folder) {
      void vscode.window.showWarningMessage('Repo Specializer: put the cursor inside a function of the workspace first.');
      return;
    }
    const only = await selectFunctions(deps, folder, 'cursor');
    if (!only) return;
    target = only[0];
  }
  if (!folder) return;
  await generateOneSample(deps, folder, target);
}

export async function resumeRunCommand(deps: GenerateDeps, runDir?: string): Promise<void> {
  if (!(await requireTrust())) return;
  let dir = runDir;
  if (!dir) {
    const unfinished = deps.index.allRuns().filter((r) => r.samples.length < r.planned && !deps.registry.get(r.runDir) && !r.holder);
    if (!unfinished.length) {
      void vscode.window.showInformationMessage('Repo Specializer: every run is finished; there is nothing to resume.');
      return;
    }
    const pick = await vscode.window.showQuickPick(
      unfinished.map((r) => ({ label: r.runId, description: `${r.samples.length}/${r.planned} done · ${r.folder.name}`, runDir: r.runDir })),
      { placeHolder: 'Which run should continue?' },
    );
    dir = pick?.runDir;
  }
  if (!dir) return;
  if (deps.registry.get(dir)) {
    void vscode.window.showInformationMessage('Repo Specializer: this run is already going on in this window; its progress is in the notification and the Runs view.');
    return;
  }
  const entry = deps.index.allRuns().find((r) => r.runDir === dir);
  const folder = entry?.folder ?? (await pickGitFolder('resume the run in'));
  if (!folder) return;
  await startRun(deps, folder, { out: dir });
}

/**
 * Runs a generation with a notification, the status bar and the Runs view. `onDone` replaces the
 * usual "run finished" message (the one-sample command reports its own result).
 */
export async function startRun(deps: GenerateDeps, folder: vscode.WorkspaceFolder, extra: Partial<GenerateOptions>, onDone?: (summary: RunSummary) => Promise<void>): Promise<void> {
  const settings = readSettings(folder);
  const e = engine();
  if (settings.sandbox === 'host' && !vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage('Repo Specializer: the "host" sandbox mode is refused in an untrusted workspace.');
    return;
  }
  const apiKey = await deps.context.secrets.get(API_KEY_SECRET);
  const controller = new AbortController();
  const runDir = extra.out ?? join(runsFolderOf(folder), defaultRunId());
  deps.registry.add({ runDir, folder, controller, progress: undefined });
  deps.log.info(`Generating in ${folder.name} → ${runDir} (teacher ${settings.model || '(first listed model)'} at ${settings.baseUrls.join(', ')}).`);
  let summary: RunSummary | undefined;
  try {
    summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Repo Specializer', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        // Said at once: checking the teacher and making the first copy take a moment, and an empty toast looks stuck.
        progress.report({ message: 'checking the teacher and preparing copies of the repository…' });
        let reported = 0;
        return e.generate({
          repo: folder.uri.fsPath,
          out: runDir,
          teacher: { baseUrls: settings.baseUrls, model: settings.model, apiKey, temperature: settings.temperature, maxTokens: settings.maxTokens, timeoutMs: settings.requestTimeoutMs },
          concurrency: settings.concurrency,
          threshold: settings.threshold,
          maxSteps: settings.maxSteps,
          rolloutWallMs: settings.rolloutWallMs,
          perFileCap: settings.perFileCap,
          instancesPerFunction: settings.instancesPerFunction,
          maxP1Lines: settings.maxP1Lines,
          sandbox: settings.sandbox === 'auto' ? undefined : settings.sandbox,
          dockerImage: settings.dockerImage,
          judge: settings.judge,
          demonstrations: settings.demonstrations,
          include: settings.include,
          exclude: settings.exclude,
          scanCacheDir: vscode.Uri.joinPath(deps.context.globalStorageUri, 'scan-cache').fsPath,
          teacherAdvice: VSCODE_TEACHER_ADVICE,
          signal: controller.signal,
          ...extra,
          onProgress: (p) => {
            deps.registry.update(runDir, p);
            const pct = p.total ? (p.done / p.total) * 100 : 0;
            progress.report({ message: `${p.done}/${p.total} samples · ${p.verified} verified · ${p.failed} failed${p.tooLarge ? ` · ${p.tooLarge} P1 too large` : ''}`, increment: pct - reported });
            reported = pct;
          },
          onEvent: (kind, data) => {
            if (kind === 'sample') deps.log.info(`sample ${String(data.id)} (${String(data.function)}): ${String(data.status)}${data.failure ? `, ${String(data.failure)}` : ''}`);
            deps.index.scheduleRefresh(1000);
          },
        });
      },
    );
  } catch (error) {
    reportRunError(deps, error);
  } finally {
    deps.registry.remove(runDir);
    deps.index.refresh();
  }
  if (!summary) return;
  const p = summary.progress;
  deps.log.info(`Run ${summary.runId} ${summary.stoppedBy}: ${p.done}/${p.total} done, ${statusPhrase(p)}, ${p.tokens} tokens.`);
  if (onDone) return onDone(summary);
  const message = `Repo Specializer: ${summary.stoppedBy === 'completed' ? 'run finished' : `run stopped (${summary.stoppedBy})`}: ${statusPhrase(p)}.`;
  const actions = summary.stoppedBy === 'completed' ? ['Open Curation Panel'] : ['Open Curation Panel', 'Resume Run'];
  void vscode.window.showInformationMessage(message, ...actions).then((choice) => {
    if (choice === 'Open Curation Panel') deps.openPanel(summary!.runDir);
    if (choice === 'Resume Run') void vscode.commands.executeCommand('repoSpecializer.resumeRun', summary!.runDir);
  });
}

/** The teacher's preflight errors name settings here: VS Code users have no --base-url. */
const VSCODE_TEACHER_ADVICE = {
  endpoint: 'set the URL of any OpenAI-compatible endpoint with "Configure Teacher" (setting repoSpecializer.teacher.baseUrls)',
  model: 'set repoSpecializer.teacher.model',
};

function reportRunError(deps: GenerateDeps, error: unknown): void {
  const message = (error as Error)?.message ?? String(error);
  const e = engine();
  const known = error instanceof e.GenerateError || error instanceof e.TeacherError || error instanceof e.BankError;
  deps.log.error(known ? message : `Generation failed: ${(error as Error)?.stack ?? message}`);
  const teacherProblem = /teacher|endpoint|model|API key|did not answer/i.test(message);
  const actions = teacherProblem ? ['Configure Teacher', 'Test Connection', 'Show Log'] : ['Open Settings', 'Show Log'];
  void vscode.window.showErrorMessage(`Repo Specializer: ${message}`, ...actions).then((choice) => {
    if (choice === 'Configure Teacher') void vscode.commands.executeCommand('repoSpecializer.configureTeacher');
    if (choice === 'Test Connection') void vscode.commands.executeCommand('repoSpecializer.testConnection');
    if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'repoSpecializer');
    if (choice === 'Show Log') deps.log.show();
  });
}
