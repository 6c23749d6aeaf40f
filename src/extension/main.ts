import * as vscode from 'vscode';
import { OverlapLens } from './codelens';
import { exportDatasetCommand } from './commands/export';
import { generateForFunctionCommand, generateSamplesCommand, resumeRunCommand, type GenerateDeps } from './commands/generate';
import { resolveEvalDir } from './commands/evals';
import { cancelRunCommand, deleteRunCommand, resolveRunDir, revealRunCommand } from './commands/runs';
import { clearApiKeyCommand, configureTeacherCommand, setApiKeyCommand, testConnectionCommand } from './commands/teacher';
import { pickAnyFolder } from './folders';
import { API_KEY_SECRET } from './settings';
import { Log } from './log';
import type { FunctionSampleStats } from './view-models/codelens';
import { openCurationPanel, openEvalPanel, registerCurationPanel, setKnownSecretsProvider } from './panel';
import { EvalIndex } from './eval-index';
import { RunRegistry } from './run-registry';
import { SampleIndex } from './sample-index';
import { StatusBar } from './status-bar';
import { EvalsView } from './views/evals-view';
import { FunctionsView } from './views/functions-view';
import { RunsView } from './views/runs-view';
import { describeScan, scanCounts } from '../core/functions/scan-summary';

const LANGUAGES = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'go', 'rust', 'java', 'csharp', 'cpp', 'c', 'ruby', 'php'];

export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  const registry = new RunRegistry();
  const index = new SampleIndex();
  const functionsView = new FunctionsView(context, index, log);
  const runsView = new RunsView(index, registry);
  const evals = new EvalIndex();
  const lens = new OverlapLens(index);
  const openPanel = (runDir: string, functionId?: string) => openCurationPanel(context, runDir, { functionId, log: (line) => log.info(line) });
  const deps: GenerateDeps = { context, log, registry, index, functionsView, openPanel };
  setKnownSecretsProvider(async () => {
    const key = await context.secrets.get(API_KEY_SECRET);
    return key ? [key] : [];
  });
  const selector = LANGUAGES.map((language) => ({ language, scheme: 'file' }));

  const command = (id: string, run: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(`repoSpecializer.${id}`, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (error) {
        log.error(`${id} failed: ${(error as Error)?.stack ?? String(error)}`);
        const choice = await vscode.window.showErrorMessage(`Repo Specializer: ${(error as Error)?.message ?? String(error)}`, 'Show Log');
        if (choice) log.show();
      }
    });

  context.subscriptions.push(
    log,
    registry,
    index,
    functionsView,
    runsView,
    evals,
    new EvalsView(evals),
    lens,
    new StatusBar(registry),
    registerCurationPanel(context),
    vscode.languages.registerCodeLensProvider(selector, lens),
    vscode.languages.registerHoverProvider(selector, lens),
    command('scanWorkspace', async () => {
      const folder = await pickAnyFolder('scan');
      if (!folder) return;
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Repo Specializer: scanning ${folder.name}` }, () => functionsView.scanFolder(folder));
      void vscode.commands.executeCommand('repoSpecializer.functions.focus');
      // The same sentence as the log and `specialize scan`, so the counts agree wherever they are read.
      void vscode.window.showInformationMessage(`Repo Specializer: ${describeScan(scanCounts(result))}`);
    }),
    command('generateSamples', () => generateSamplesCommand(deps)),
    command('generateForFunction', (uri, fn) => generateForFunctionCommand(deps, uri as vscode.Uri | undefined, fn as { file: string; qualifiedName: string } | undefined)),
    command('cancelRun', (arg) => cancelRunCommand(registry, index, arg)),
    command('resumeRun', async (arg) => resumeRunCommand(deps, arg === undefined ? undefined : await resolveRunDir(index, arg, 'Which run should continue?'))),
    command('openCurationPanel', async (arg) => {
      const runDir = await resolveRunDir(index, arg, 'Which run do you want to curate?');
      if (runDir) openPanel(runDir);
    }),
    command('openCurationForFunction', (stats) => {
      // The newest run holding one of the definition's samples, filtered to that definition's id in it.
      const s = stats as FunctionSampleStats;
      if (s?.runDir) openPanel(s.runDir, s.functionId);
    }),
    command('exportDataset', (arg) => exportDatasetCommand(context, index, log, arg)),
    command('deleteRun', (arg) => deleteRunCommand(registry, index, arg)),
    command('revealRun', (arg) => revealRunCommand(index, arg)),
    command('configureTeacher', () => configureTeacherCommand(context)),
    command('setApiKey', () => setApiKeyCommand(context)),
    command('clearApiKey', () => clearApiKeyCommand(context)),
    command('testConnection', () => testConnectionCommand(context, log)),
    command('showLog', () => log.show()),
    command('refreshRuns', () => index.refresh()),
    command('openEvalRun', async (arg) => {
      const evalDir = await resolveEvalDir(evals, arg);
      if (evalDir) openEvalPanel(context, evalDir, { log: (line) => log.info(line) });
    }),
    command('refreshEvals', () => evals.refresh()),
    command('revealEvalRun', async (arg) => {
      const evalDir = await resolveEvalDir(evals, arg);
      if (evalDir) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(evalDir));
    }),
    command('revealFunction', async (folderUri, fn) => {
      const f = fn as { file: string; startLine: number; endLine: number };
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folderUri as vscode.Uri, f.file));
      const editor = await vscode.window.showTextDocument(doc, { preview: true });
      const range = new vscode.Range(f.startLine - 1, 0, f.startLine - 1, 0);
      editor.selection = new vscode.Selection(range.start, range.start);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
  );
}

export function deactivate(): void {}
