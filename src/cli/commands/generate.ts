import type { Command } from 'commander';
import { resolve } from 'node:path';
import { isRunDir, readManifest } from '../../core/store';
import { RUN_DEFAULTS } from '../../core/defaults';
import { defaultCacheDir } from '../../core/functions';
import { BankError, generate, GenerateError, parseShard, type RunSummary } from '../../core/generation';
import type { SandboxMode } from '../../core/sandbox';
import { TeacherError } from '../../core/teacher/types';
import { agentBounds, requestTimeoutOption, rolloutMinutesOption } from '../agent-bounds';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { collect, fraction, pathKind, positiveNumber, requireFolder, wholeNumber } from '../options';
import { stopOnInterrupt } from '../run-helpers';
import { teacherFromEnvironment } from '../teacher-env';
import { GenerateDisplay, resumeNotes, summaryLines } from './generate-output';
import { summarizeRun } from '../../core/store';

const SANDBOXES = ['bwrap', 'docker', 'host', 'off'];
const DEFAULT_DOCKER_IMAGE = 'python:3.12-slim';

interface GenerateFlags {
  out?: string;
  baseUrl?: string;
  model?: string;
  samples: number;
  concurrency: number;
  threshold: number;
  seed: string;
  shard?: string;
  maxSteps: number;
  sandbox?: string;
  dockerImage?: string;
  judge?: boolean;
  demos: string;
  instructions?: string;
  include: string[];
  exclude: string[];
  includeUncommitted?: boolean;
  perFileCap: number;
  instancesPerFunction: number;
  temperature: number;
  maxTotalTokens?: number;
  maxMinutes?: number;
  maxP1Lines?: number;
  requestTimeout: number;
  rolloutMinutes: number;
}

// Longer waits overflow the timers (2^31 ms); nobody means them.

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('Generate soft-verified samples: two rollouts per start function, scored by line-level recall. Running it again on the same --out resumes.')
    .argument('[repo]', 'git repository to specialise on', '.')
    .option('--out <dir>', 'run directory (default: REPO/.specializer/runs/<run-id>); an existing run directory is resumed')
    .option('--base-url <urls>', 'teacher endpoint(s), comma-separated (env SPECIALIZE_BASE_URL / OPENAI_BASE_URL; default http://localhost:11434/v1)')
    .option('--model <name>', 'teacher model (env SPECIALIZE_MODEL; default: the first model the endpoint lists)')
    .option('--samples <n>', 'how many samples to plan', wholeNumber('--samples', 1), RUN_DEFAULTS.samples)
    .option('--concurrency <n>', 'samples in flight at once', wholeNumber('--concurrency', 1), RUN_DEFAULTS.concurrency)
    .option('--threshold <r>', 'recall needed to keep a sample (0..1)', fraction('--threshold', true, '1 = hard, 0 = keep all'), RUN_DEFAULTS.threshold)
    .option('--seed <seed>', 'seed for choosing functions and prompts', RUN_DEFAULTS.seed)
    .option('--shard <i/N>', 'take the i-th of N disjoint shares of the functions (0-based)')
    .option('--max-steps <k>', 'model calls per rollout', wholeNumber('--max-steps', 1), RUN_DEFAULTS.maxSteps)
    .option('--sandbox <mode>', `how the agent's bash tool runs: ${SANDBOXES.join('|')} (default bwrap when installed, else off)`)
    .option('--docker-image <image>', `image for --sandbox docker (default ${DEFAULT_DOCKER_IMAGE}); implies --sandbox docker`)
    .option('--judge', 'ask the teacher whether each rollout-1 patch fits its instruction; "no" drops the sample')
    .option('--demos <source>', 'demonstration issues: builtin, git (this repository\'s commit messages) or a folder of .md issues', 'builtin')
    .option('--instructions <file>', 'extra instruction templates (JSON array or JSON Lines, see docs/RUN_FORMAT.md)')
    .option('--include <glob>', 'only functions in files matching this glob (repeatable)', collect, [])
    .option('--exclude <glob>', 'never functions in files matching this glob (repeatable)', collect, [])
    .option('--include-uncommitted', 'start from the working tree with uncommitted changes (a snapshot commit; your files are not touched)')
    .option('--per-file-cap <n>', 'most distinct start functions taken from one file', wholeNumber('--per-file-cap', 1), RUN_DEFAULTS.perFileCap)
    .option('--instances-per-function <n>', 'samples started from each chosen function (each with its own instruction)', wholeNumber('--instances-per-function', 1), RUN_DEFAULTS.instancesPerFunction)
    .option('--temperature <t>', 'sampling temperature', positiveNumber('--temperature', true), RUN_DEFAULTS.temperature)
    .addOption(requestTimeoutOption('teacher'))
    .addOption(rolloutMinutesOption())
    .option('--max-total-tokens <n>', 'stop cleanly after this many tokens', wholeNumber('--max-total-tokens', 1))
    .option('--max-minutes <n>', 'stop cleanly after this many minutes', positiveNumber('--max-minutes'))
    .option('--max-p1-lines <n>', "stop a sample after rollout 1 when P1 changes more lines than this, since export's default filter (40) drops it; 0 for no limit", wholeNumber('--max-p1-lines'))
    .action(async (repo: string, opts: GenerateFlags, command: Command) => {
      requireFolder(repo, 'a git repository');
      if (opts.out !== undefined && pathKind(opts.out) === 'file') throw new CliError(`--out ${opts.out} is a file; give a new folder, or a run directory to resume.`);
      let sandbox = opts.sandbox;
      if (sandbox && !SANDBOXES.includes(sandbox)) throw new CliError(`--sandbox must be one of ${SANDBOXES.join(', ')}; got "${sandbox}".`);
      if (opts.dockerImage !== undefined) {
        if (sandbox && sandbox !== 'docker') throw new CliError(`--docker-image is for --sandbox docker, not --sandbox ${sandbox}; drop one of the two.`);
        if (!opts.dockerImage.trim()) throw new CliError('--docker-image is empty; give an image name such as python:3.12-slim.');
        sandbox = 'docker';
      }
      // a mistyped path is a usage error, told before the teacher is called
      if (opts.demos !== 'builtin' && opts.demos !== 'git') requireFolder(opts.demos, "a folder of .md issues for --demos (or say builtin, or git for this repository's commit messages)");
      if (opts.instructions !== undefined) {
        const kind = pathKind(opts.instructions);
        if (kind !== 'file') throw new CliError(`--instructions ${resolve(opts.instructions)} ${kind === 'missing' ? 'does not exist' : 'is a folder'}; give a JSON or JSON Lines file of instruction templates (docs/RUN_FORMAT.md).`);
      }
      let shard = null;
      if (opts.shard) {
        try {
          shard = parseShard(String(opts.shard));
        } catch (error) {
          throw new CliError((error as Error).message);
        }
      }
      const given = (key: string) => command.getOptionValueSource(key) === 'cli';
      const resuming = opts.out !== undefined && isRunDir(opts.out);
      if (resuming) for (const line of resumeNotes(readManifest(opts.out!).settings, { ...opts }, given)) process.stderr.write(`${line}\n`);
      const teacher = teacherFromEnvironment({ baseUrl: opts.baseUrl, model: opts.model });
      teacher.temperature = opts.temperature;
      const bounds = agentBounds(opts);
      teacher.timeoutMs = bounds.requestTimeoutMs;

      const controller = new AbortController();
      const display = new GenerateDisplay(process.stderr);
      const stopHandlers = stopOnInterrupt(controller, 'Stopping: in-flight samples are cancelled and will resume next time.', display.bar.stop);
      let summary: RunSummary;
      try {
        summary = await generate({
          repo,
          out: opts.out,
          teacher,
          samples: opts.samples,
          // On a resume only what was typed changes the run; defaults would silently undo its own settings.
          concurrency: given('concurrency') || !resuming ? opts.concurrency : undefined,
          threshold: given('threshold') || !resuming ? opts.threshold : undefined,
          maxP1Lines: opts.maxP1Lines,
          seed: String(opts.seed),
          shard,
          maxSteps: opts.maxSteps,
          sandbox: sandbox as SandboxMode | undefined,
          dockerImage: sandbox === 'docker' ? (opts.dockerImage ?? DEFAULT_DOCKER_IMAGE) : undefined,
          judge: Boolean(opts.judge),
          demonstrations: opts.demos,
          instructionBank: opts.instructions,
          include: opts.include,
          exclude: opts.exclude,
          includeUncommitted: Boolean(opts.includeUncommitted),
          perFileCap: opts.perFileCap,
          instancesPerFunction: opts.instancesPerFunction,
          maxTotalTokens: opts.maxTotalTokens,
          maxWallMs: opts.maxMinutes !== undefined ? opts.maxMinutes * 60_000 : undefined,
          rolloutWallMs: bounds.rolloutWallMs,
          scanCacheDir: defaultCacheDir(),
          signal: controller.signal,
          onProgress: display.bar.update,
          onEvent: (kind, data) => display.event(kind, data),
        });
      } catch (error) {
        display.bar.stop();
        if (controller.signal.aborted) {
          process.stderr.write('specialize: stopped before the run started; nothing was generated.\n');
          process.exitCode = EXIT.interrupted;
          return;
        }
        if (error instanceof BankError) throw new CliError(error.message);
        if (error instanceof GenerateError || error instanceof TeacherError) throw new CliError(error.message, EXIT.cannotStart);
        throw error;
      } finally {
        stopHandlers();
      }
      display.bar.stop();
      const view = summarizeRun(summary.runDir);
      process.stdout.write(summaryLines(summary, view, { maxTotalTokens: opts.maxTotalTokens, maxMinutes: opts.maxMinutes }).join('\n') + '\n');
      process.exitCode = exitCodeOf(summary);
    });
}

function exitCodeOf(summary: RunSummary): number {
  if (summary.stoppedBy === 'cancelled') return EXIT.interrupted;
  if (summary.stoppedBy === 'token-budget' || summary.stoppedBy === 'time-budget') return EXIT.budget;
  const p = summary.progress;
  return p.done > 0 && p.verified + p.below === 0 ? EXIT.nothingProduced : EXIT.ok;
}
