import { execFile } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/generation/generate';
import { defaultRunId } from '../../core/store/run-dir';
import { engine } from '../lazy';
import { runsFolderOf } from '../sample-index';
import { readSettings } from '../settings';
import { estimateTokens, formatTokens } from '../view-models/estimate';
import { oneSampleMessage, oneSampleRunName } from '../view-models/one-sample';
import { startRun, tokenHistory, type GenerateDeps } from './generate';

function headCommit(cwd: string): Promise<string | null> {
  return new Promise((resolve) => execFile('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }, (error, out) => resolve(error ? null : out.trim() || null)));
}

/**
 * "Generate one sample" on a function: says what it costs first, adds the sample to the day's
 * one-sample run (made from the current commit), and reports the sample's result when it is done.
 */
export async function generateOneSample(deps: GenerateDeps, folder: vscode.WorkspaceFolder, target: { file: string; qualifiedName: string }): Promise<void> {
  const e = engine();
  const runs = runsFolderOf(folder);
  const head = (await headCommit(folder.uri.fsPath)) ?? '';
  const now = new Date();
  const plain = join(runs, oneSampleRunName(now, head, null));
  const name = oneSampleRunName(now, head, e.isRunDir(plain) ? e.readManifest(plain).repository.baseCommit : null);
  const dayDir = join(runs, name);
  const exists = e.isRunDir(dayDir);
  if (exists && (deps.registry.get(dayDir) || e.runHolder(dayDir))) {
    void vscode.window.showInformationMessage(`Repo Specializer: today's one-sample run ${name} is being generated right now; try again when it is done.`);
    return;
  }
  const settings = readSettings(folder);
  const estimate = estimateTokens(1, tokenHistory(deps, folder));
  const go = await vscode.window.showInformationMessage(
    `Generate one sample on ${target.qualifiedName}?`,
    {
      modal: true,
      detail: `Two agent rollouts against ${settings.model || 'the first model the endpoint lists'}: about ${formatTokens(estimate.total)} tokens (${estimate.explanation}). The sample goes into ${exists ? `today's run ${name}` : `a new run for today, ${name}`}.`,
    },
    'Generate',
  );
  if (go !== 'Generate') return;
  // A new day starts the day's run itself; later samples are generated beside it and merged in.
  const out = exists ? join(runs, defaultRunId()) : dayDir;
  // Its own seed: the same function sampled twice in a day gets two sample ids.
  await startRun(deps, folder, { samples: 1, onlyFunctions: [target], out, seed: `one-${now.getTime()}` }, (summary) => report(deps, summary, exists ? dayDir : null, target.qualifiedName));
}

async function report(deps: GenerateDeps, summary: RunSummary, mergeInto: string | null, fn: string): Promise<void> {
  const e = engine();
  const record = [...e.readRunState(summary.runDir).finished.values()][0];
  if (summary.stoppedBy !== 'completed' || !record) {
    const choice = await vscode.window.showWarningMessage(`Repo Specializer: the sample on ${fn} stopped (${summary.stoppedBy}) before it finished; resume it from the Runs view.`, 'Resume Run');
    if (choice) void vscode.commands.executeCommand('repoSpecializer.resumeRun', summary.runDir);
    return;
  }
  let runDir = summary.runDir;
  if (mergeInto) {
    const old = join(mergeInto, '..', `.${summary.runId}.previous`);
    try {
      renameSync(mergeInto, old);
      try {
        e.mergeRuns([old, summary.runDir], mergeInto);
      } catch (error) {
        rmSync(mergeInto, { recursive: true, force: true });
        renameSync(old, mergeInto);
        throw error;
      }
      rmSync(old, { recursive: true, force: true });
      rmSync(summary.runDir, { recursive: true, force: true });
      runDir = mergeInto;
    } catch (error) {
      deps.log.warn(`Adding the sample to ${mergeInto} failed, so it stays in its own run ${summary.runDir}: ${error instanceof Error ? error.message : String(error)}`);
    }
    deps.index.refresh();
  }
  const samples = e.readRunState(runDir).finished.size;
  const message = oneSampleMessage(
    fn,
    { status: record.status, recall: record.verification?.recall ?? null, tokens: record.usage.promptTokens + record.usage.completionTokens, failure: record.failure?.reason ?? null },
    runDir.split(/[\\/]/).pop() ?? runDir,
    samples,
  );
  const choice = await vscode.window.showInformationMessage(message, 'Open in Curation Panel');
  if (choice) deps.openPanel(runDir, record.function.id);
}
