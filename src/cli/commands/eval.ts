import type { Command } from 'commander';
import { apiKeyFor, EvalError, HISTORY_DEFAULTS, parseModelSpec, runEval, type EvalOptions, type EvalProgress, type ModelSpec } from '../../core/eval';
import type { SandboxMode } from '../../core/sandbox';
import { RunDirError } from '../../core/store';
import { TeacherError } from '../../core/teacher/types';
import { agentBounds, requestTimeoutOption, rolloutMinutesOption } from '../agent-bounds';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { collect, requireFolder } from '../options';
import { formatDuration, integer, progressBar, stopOnInterrupt } from '../run-helpers';

const SANDBOXES = ['bwrap', 'docker', 'host', 'off'];

function recall(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!(n >= 0 && n <= 1)) throw new CliError(`${name} must be a recall between 0 and 1; got "${value}".`);
    return n;
  };
}

function models(value: string, previous: ModelSpec[]): ModelSpec[] {
  try {
    const spec = parseModelSpec(value);
    return [...previous, { ...spec, apiKey: apiKeyFor(spec.label) }];
  } catch (error) {
    if (error instanceof EvalError) throw new CliError(error.message);
    throw error;
  }
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('Run models as the rollout-2 agent on held-out tasks of this repository (samples of runs, or its own commits) and score their patches against the reference. Running it again on the same --out resumes.')
    .argument('[repo]', 'the git repository the tasks belong to', '.')
    .option('--tasks <run-dirs...>', 'take tasks from these generation runs: the samples whose start function the split held out of training')
    .option('--split <export-dir>', "with --tasks: the export the model was trained on; its recorded split is used as it is")
    .option('--validation <fraction>', 'with --tasks and no export: the split as `specialize export --validation F` makes it', recall('--validation'))
    .option('--history', "take tasks from the repository's own commits, newest first")
    .option('--since <rev>', "with --history: only commits after this one (a revision, or a run directory: commits after its base commit)")
    .option('--limit <n>', 'with --history: most tasks', integer('--limit'), HISTORY_DEFAULTS.limit)
    .option('--min-lines <n>', "with --history: fewest changed lines of source in a commit's diff", integer('--min-lines'), HISTORY_DEFAULTS.minLines)
    .option('--max-lines <n>', "with --history: most changed lines of source in a commit's diff", integer('--max-lines'), HISTORY_DEFAULTS.maxLines)
    .option('--min-message-chars <n>', 'with --history: shorter commit messages say too little to be a task', integer('--min-message-chars'), HISTORY_DEFAULTS.minMessageChars)
    .option('--issues <dir>', 'with --history: a folder of issue texts (N.md); a message naming #N gets its text added')
    .option('--include <glob>', 'with --history: only these files count as source (repeatable)', collect, [])
    .option('--exclude <glob>', 'with --history: these files never count as source (repeatable)', collect, [])
    .option('--model <[label=]name@url>', 'a model to evaluate (repeatable); several comma-separated URLs share the load; key from SPECIALIZE_API_KEY_<LABEL> or SPECIALIZE_API_KEY', models, [])
    .option('--out <dir>', 'eval directory (default: REPO/.specializer/evals/<id>); an existing one is resumed')
    .option('--threshold <r>', 'recall a submitted patch needs for the task to count as resolved', recall('--threshold'), 0.5)
    .option('--concurrency <n>', 'task and model pairs in flight at once', integer('--concurrency'), 4)
    .option('--max-steps <k>', 'model calls per rollout (as in generate)', integer('--max-steps'), 115)
    .option('--sandbox <mode>', `how the agent's bash tool runs: ${SANDBOXES.join('|')} (default bwrap when installed, else off)`)
    .option('--temperature <t>', 'sampling temperature', (v) => Number(v), 0.6)
    .addOption(requestTimeoutOption('model'))
    .addOption(rolloutMinutesOption())
    .option('--max-total-tokens <n>', 'stop cleanly after this many tokens', integer('--max-total-tokens'))
    .option('--max-minutes <n>', 'stop cleanly after this many minutes', (v) => Number(v))
    .action(async (repo: string, opts: Record<string, unknown>) => {
      const sandbox = opts.sandbox as string | undefined;
      if (sandbox && !SANDBOXES.includes(sandbox)) throw new CliError(`--sandbox must be one of ${SANDBOXES.join(', ')}; got "${sandbox}".`);
      const runDirs = opts.tasks as string[] | undefined;
      if (runDirs && opts.history) throw new CliError('Give either --tasks RUN_DIR... or --history, not both; make one eval run per task source.');
      // a mistyped path is a usage error, told before any teacher is called
      for (const dir of runDirs ?? []) requireFolder(dir, 'a generation run (REPO/.specializer/runs/<run-id>; specialize runs REPO lists them)');
      if (typeof opts.split === 'string') requireFolder(opts.split, 'the export the model was trained on (the --out of specialize export)');
      if (typeof opts.issues === 'string') requireFolder(opts.issues, 'a folder of issue texts (N.md)');
      let tasks: EvalOptions['tasks'];
      if (runDirs) tasks = { runs: { runDirs, split: opts.split as string | undefined, validation: opts.validation as number | undefined } };
      else if (opts.history) {
        tasks = {
          history: {
            since: opts.since as string | undefined,
            limit: opts.limit as number,
            minLines: opts.minLines as number,
            maxLines: opts.maxLines as number,
            minMessageChars: opts.minMessageChars as number,
            issues: opts.issues as string | undefined,
            include: opts.include as string[],
            exclude: opts.exclude as string[],
          },
        };
      }
      const bounds = agentBounds(opts as { requestTimeout: number; rolloutMinutes: number });
      const controller = new AbortController();
      const tty = process.stderr.isTTY;
      const bar = progressBar(' {bar} {value}/{total} runs | resolved {resolved} submitted {submitted} errors {errors} | {tokens} tok', (p: EvalProgress) => ({ resolved: p.resolved, submitted: p.submitted, errors: p.errors, tokens: p.tokens }));
      const stopHandlers = stopOnInterrupt(controller, 'Stopping: rollouts in flight are cancelled and will run again next time.', bar.stop);
      const onProgress = bar.update;
      try {
        const summary = await runEval({
          repo,
          out: opts.out as string | undefined,
          tasks,
          models: opts.model as ModelSpec[],
          threshold: opts.threshold as number,
          concurrency: opts.concurrency as number,
          maxSteps: opts.maxSteps as number,
          sandbox: sandbox as SandboxMode | undefined,
          temperature: opts.temperature as number,
          requestTimeoutMs: bounds.requestTimeoutMs,
          rolloutWallMs: bounds.rolloutWallMs,
          maxTotalTokens: opts.maxTotalTokens as number | undefined,
          maxWallMs: typeof opts.maxMinutes === 'number' ? opts.maxMinutes * 60_000 : undefined,
          signal: controller.signal,
          onProgress,
          onEvent: (kind, data) => {
            if (kind === 'started' || kind === 'resumed') process.stderr.write(`${kind === 'started' ? 'Eval' : 'Resuming'} ${String(data.evalDir)}: ${String(data.tasks)} tasks x ${String(data.models)} models, ${String(data.pending)} to run\n`);
            else if (!tty && kind === 'result') process.stderr.write(`${String(data.task)} ${String(data.model)}: ${data.error ? `error (${String(data.error)})` : `recall ${Number(data.recall).toFixed(2)}${data.resolved ? ', resolved' : ''}`}\n`);
          },
        });
        bar.stop();
        const p = summary.progress;
        const skipped = summary.source.history ? Object.entries(summary.source.history.skipped).map(([k, n]) => `${n} ${k}`).join(', ') : '';
        process.stdout.write(
          [
            `Eval directory: ${summary.evalDir}`,
            summary.source.history ? `${summary.tasks} tasks from ${summary.source.history.considered} commits${skipped ? ` (left out: ${skipped})` : ''}.` : `${summary.tasks} held-out tasks (${summary.source.split?.heldOut.length ?? 0} functions held out).`,
            `${p.done}/${p.total} runs done: ${p.resolved} resolved, ${p.submitted} submitted${p.errors ? `, ${p.errors} errors (run again to retry them)` : ''}; ${p.tokens} tokens; ${formatDuration(p.elapsedMs)}.`,
            summary.stoppedBy === 'completed' ? `See the comparison with: specialize eval-report ${summary.evalDir}` : `Stopped (${summary.stoppedBy}); run the same command with --out ${summary.evalDir} to resume.`,
          ].join('\n') + '\n',
        );
        if (summary.stoppedBy === 'cancelled') process.exitCode = EXIT.interrupted;
        else if (summary.stoppedBy !== 'completed') process.exitCode = EXIT.budget;
        else if (p.done === 0) process.exitCode = EXIT.nothingProduced;
      } catch (error) {
        bar.stop();
        if (error instanceof EvalError) throw new CliError(error.message, error.kind === 'cannot-start' ? EXIT.cannotStart : error.kind === 'no-tasks' ? EXIT.nothingProduced : EXIT.usage);
        if (error instanceof TeacherError) throw new CliError(error.message, EXIT.cannotStart);
        if (error instanceof RunDirError) throw new CliError(error.message);
        throw error;
      } finally {
        stopHandlers();
      }
    });
}
