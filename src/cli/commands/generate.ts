import type { Command } from 'commander';
import { DEFAULT_BASE_URL, RUN_DEFAULTS } from '../../core/defaults';
import { defaultCacheDir } from '../../core/functions';
import { BankError, generate, GenerateError, parseShard, type RunProgress } from '../../core/generation';
import type { SandboxMode } from '../../core/sandbox';
import { TeacherError } from '../../core/teacher/types';
import { CliError } from '../errors';
import { teacherFromEnvironment } from '../teacher-env';
import { collect } from '../options';
import { formatDuration, integer, progressBar, stopOnInterrupt } from '../run-helpers';


function fraction(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new CliError(`--threshold must be between 0 and 1 (1 = hard, 0 = keep all); got "${value}".`);
  return n;
}

const SANDBOXES = ['bwrap', 'docker', 'host', 'off'];

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('Generate soft-verified samples: two rollouts per start function, scored by line-level recall. Running it again on the same --out resumes.')
    .argument('[repo]', 'git repository to specialise on', '.')
    .option('--out <dir>', 'run directory (default: REPO/.specializer/runs/<run-id>); an existing run directory is resumed')
    .option('--base-url <urls>', `teacher endpoint(s), comma-separated (env SPECIALIZE_BASE_URL / OPENAI_BASE_URL; default ${DEFAULT_BASE_URL})`)
    .option('--model <name>', 'teacher model (env SPECIALIZE_MODEL; default: the first model the endpoint lists)')
    .option('--samples <n>', 'how many samples to plan', integer('--samples'), RUN_DEFAULTS.samples)
    .option('--concurrency <n>', 'samples in flight at once', integer('--concurrency'), RUN_DEFAULTS.concurrency)
    .option('--threshold <r>', 'recall needed to keep a sample (0..1)', fraction, RUN_DEFAULTS.threshold)
    .option('--seed <seed>', 'seed for choosing functions and prompts', RUN_DEFAULTS.seed)
    .option('--shard <i/N>', 'take the i-th of N disjoint shares of the functions (0-based)')
    .option('--max-steps <k>', 'model calls per rollout', integer('--max-steps'), RUN_DEFAULTS.maxSteps)
    .option('--sandbox <mode>', `how the agent's bash tool runs: ${SANDBOXES.join('|')} (default bwrap when installed, else off)`)
    .option('--judge', 'ask the teacher whether each rollout-1 patch fits its instruction; "no" drops the sample')
    .option('--demos <source>', 'demonstration issues: builtin, git (this repository\'s commit messages) or a folder of .md issues', RUN_DEFAULTS.demonstrations)
    .option('--instructions <file>', 'extra instruction templates (JSON array or JSON Lines, see docs/RUN_FORMAT.md)')
    .option('--include <glob>', 'only functions in files matching this glob (repeatable)', collect, [])
    .option('--exclude <glob>', 'never functions in files matching this glob (repeatable)', collect, [])
    .option('--include-uncommitted', 'start from the working tree with uncommitted changes (a snapshot commit; your files are not touched)')
    .option('--temperature <t>', 'sampling temperature', (v) => Number(v), RUN_DEFAULTS.temperature)
    .option('--max-total-tokens <n>', 'stop cleanly after this many tokens', integer('--max-total-tokens'))
    .option('--max-minutes <n>', 'stop cleanly after this many minutes', (v) => Number(v))
    .action(async (repo: string, opts: Record<string, unknown>) => {
      const sandbox = opts.sandbox as string | undefined;
      if (sandbox && !SANDBOXES.includes(sandbox)) throw new CliError(`--sandbox must be one of ${SANDBOXES.join(', ')}; got "${sandbox}".`);
      let shard = null;
      if (opts.shard) {
        try {
          shard = parseShard(String(opts.shard));
        } catch (error) {
          throw new CliError((error as Error).message);
        }
      }
      const teacher = teacherFromEnvironment({ baseUrl: opts.baseUrl as string | undefined, model: opts.model as string | undefined });
      teacher.temperature = opts.temperature as number;
      const controller = new AbortController();
      const stopHandlers = stopOnInterrupt(controller, 'Stopping: in-flight samples are cancelled and will resume next time.');
      const tty = process.stderr.isTTY;
      const bar = progressBar(' {bar} {value}/{total} samples | verified {verified} below {below} failed {failed} | {tokens} tok', (p: RunProgress) => ({ verified: p.verified, below: p.below, failed: p.failed, tokens: p.tokens }));
      const onProgress = bar.update;
      try {
        const summary = await generate({
          repo,
          out: opts.out as string | undefined,
          teacher,
          samples: opts.samples as number,
          concurrency: opts.concurrency as number,
          threshold: opts.threshold as number,
          seed: String(opts.seed),
          shard,
          maxSteps: opts.maxSteps as number,
          sandbox: sandbox as SandboxMode | undefined,
          judge: Boolean(opts.judge),
          demonstrations: opts.demos as string,
          instructionBank: opts.instructions as string | undefined,
          include: opts.include as string[],
          exclude: opts.exclude as string[],
          includeUncommitted: Boolean(opts.includeUncommitted),
          maxTotalTokens: opts.maxTotalTokens as number | undefined,
          maxWallMs: typeof opts.maxMinutes === 'number' ? opts.maxMinutes * 60_000 : undefined,
          scanCacheDir: defaultCacheDir(),
          signal: controller.signal,
          onProgress,
          onEvent: (kind, data) => {
            if (kind === 'started' || kind === 'resumed') process.stderr.write(`${kind === 'started' ? 'Run' : 'Resuming'} ${String(data.runDir)}: ${String(data.samples)} samples planned\n`);
            else if (!tty && kind === 'sample') process.stderr.write(`sample ${String(data.id)} ${String(data.function)}: ${String(data.status)}${data.failure ? ` (${String(data.failure)})` : ''}\n`);
          },
        });
        bar.stop();
        const p = summary.progress;
        process.stdout.write(
          [
            `Run directory: ${summary.runDir}`,
            `${p.done}/${p.total} samples done: ${p.verified} verified, ${p.below} below threshold, ${p.failed} failed; ${p.tokens} tokens; ${formatDuration(p.elapsedMs)}.`,
            summary.stoppedBy === 'completed' ? '' : `Stopped (${summary.stoppedBy}); run the same command with --out ${summary.runDir} to resume.`,
          ]
            .filter(Boolean)
            .join('\n') + '\n',
        );
      } catch (error) {
        bar.stop();
        if (error instanceof GenerateError || error instanceof BankError || error instanceof TeacherError) throw new CliError(error.message);
        throw error;
      } finally {
        stopHandlers();
      }
    });
}
