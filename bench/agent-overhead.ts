/**
 * Orchestration overhead of one agent rollout: everything but waiting for the teacher. A
 * zero-latency scripted teacher (a real OpenAI-compatible HTTP server on localhost, spoken to
 * by the real client) plays a 10-step edit (views, two str_replace edits, a scratch file, a
 * command or two, submit, clean-up, submit) on a generated repository of 5,000+ files, through
 * runAgent on copies from a SandboxPool, in sandbox modes host and bwrap.
 *
 * Measured per rollout: setup + teardown (acquire + release), the overhead of every tool step
 * outside the command itself (the time between two teacher calls, less the command's process
 * and less any diff), and the diff. Beside it, a fresh `git worktree add --detach` + `git
 * worktree remove` on the same repository.
 *
 *   npm run bench:agent -- [--files 5000] [--rollouts 60] [--worktree-runs 20] [--modes host,bwrap]
 *
 * Prints a markdown table and writes bench/results/agent-overhead.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runAgent } from '../src/core/agent';
import { bwrapAvailable, SandboxPool, type CommandResult, type RunOptions, type SandboxCopy, type SandboxMode } from '../src/core/sandbox';
import { createTeacher } from '../src/core/teacher';
import type { ChatMessage, Completion, Teacher, ToolSpec } from '../src/core/teacher/types';
import { startScriptedTeacher, toolCall, type RecordedRequest, type Reply } from '../test/support/scripted-teacher';
import { percentiles, SampleSets, type Percentiles } from './lib/percentiles';
import { makeSyntheticRepo, syntheticPythonFunction } from './lib/synthetic-repo';
import { markdownTable } from './lib/table';

const TARGET_SETUP_TEARDOWN_P50_MS = 50;
const TARGET_STEP_P50_MS = 5;
const RESULTS = resolve(__dirname, 'results', 'agent-overhead.json');

// ---- the scripted 10-step edit ----

/** What one rollout works on; written into the task text, which is all the scripted teacher sees. */
interface Target {
  file: string;
  fn: string;
  k: number;
  scratch: string;
}

function taskFor(t: Target): string {
  return `The function \`${t.fn}\` in ${t.file} mishandles negative input. TARGET ${JSON.stringify(t)} END`;
}

function targetOf(req: RecordedRequest): Target {
  const task = String(req.body.messages?.[1]?.content ?? '');
  const m = /TARGET (\{.*\}) END/.exec(task);
  if (!m) throw new Error('the task carries no target');
  return JSON.parse(m[1]) as Target;
}

/** The kind of each step, in order; the teacher's reply for step i is scriptedStep(i). */
const STEP_KINDS = [
  'view folder',
  'bash grep',
  'view file',
  'view range',
  'str_replace',
  'str_replace',
  'create',
  'bash python3',
  'submit (review diff)',
  'bash rm',
  'submit',
] as const;

function scriptedStep(req: RecordedRequest): Reply {
  const t = targetOf(req);
  const step = (req.body.messages ?? []).filter((m) => m.role === 'assistant').length;
  const path = `/testbed/${t.file}`;
  const original = syntheticPythonFunction(t.fn, t.k);
  const guarded = original.replace('    total = x\n', '    if x < 0:\n        raise ValueError("x must not be negative")\n    total = x\n');
  switch (step) {
    case 0:
      return toolCall('str_replace_editor', { command: 'view', path: '/testbed' });
    case 1:
      return toolCall('bash', { command: `grep -n "def ${t.fn}(" ${t.file}` });
    case 2:
      return toolCall('str_replace_editor', { command: 'view', path });
    case 3:
      return toolCall('str_replace_editor', { command: 'view', path, view_range: [1, 12] });
    case 4:
      return toolCall('str_replace_editor', { command: 'str_replace', path, old_str: original, new_str: guarded });
    case 5:
      return toolCall('str_replace_editor', { command: 'str_replace', path, old_str: `    total += ${t.k}\n    return total\n`, new_str: `    total += ${t.k}\n    return int(total)\n` });
    case 6:
      return toolCall('str_replace_editor', {
        command: 'create',
        path: `/testbed/${t.scratch}`,
        file_text: `import sys\nsys.path.insert(0, '${t.file.replace(/\/[^/]+$/, '')}')\nfrom ${t.file.replace(/^.*\//, '').replace(/\.py$/, '')} import ${t.fn}\ntry:\n    ${t.fn}(-1)\nexcept ValueError as e:\n    print('raised', e)\n`,
      });
    case 7:
      return toolCall('bash', { command: `python3 ${t.scratch}` });
    case 8:
      return toolCall('submit', {});
    case 9:
      return toolCall('bash', { command: `rm ${t.scratch}` });
    default:
      return toolCall('submit', {});
  }
}

// ---- instruments: a teacher and a copy that record when they are busy ----

class TimedTeacher implements Teacher {
  readonly model: string;
  calls: { start: number; end: number }[] = [];
  constructor(private readonly inner: Teacher) {
    this.model = inner.model;
  }
  async complete(messages: ChatMessage[], tools: ToolSpec[], signal?: AbortSignal): Promise<Completion> {
    const start = performance.now();
    try {
      return await this.inner.complete(messages, tools, signal);
    } finally {
      this.calls.push({ start, end: performance.now() });
    }
  }
}

interface Busy {
  start: number;
  end: number;
  /** For commands: the process's own time as the runner measured it (spawn to exit). */
  processMs?: number;
}

/** Delegates to a pooled copy and records every command and diff, so they can be told apart from orchestration. */
class TimedCopy implements SandboxCopy {
  readonly agentRoot;
  readonly root: string;
  readonly mode: SandboxMode;
  runs: Busy[] = [];
  diffs: Busy[] = [];
  constructor(private readonly inner: SandboxCopy) {
    this.agentRoot = inner.agentRoot;
    this.root = inner.root;
    this.mode = inner.mode;
  }
  async run(command: string, opts: RunOptions): Promise<CommandResult> {
    const start = performance.now();
    const result = await this.inner.run(command, opts);
    this.runs.push({ start, end: performance.now(), processMs: result.ms });
    if (result.exitCode !== 0) throw new Error(`the scripted command ${command} failed: ${result.output}`);
    return result;
  }
  async diff(): Promise<string> {
    const start = performance.now();
    const patch = await this.inner.diff();
    this.diffs.push({ start, end: performance.now() });
    return patch;
  }
  toHostPath(p: string): string {
    return this.inner.toHostPath(p);
  }
  toAgentPath(p: string): string {
    return this.inner.toAgentPath(p);
  }
  maskHostPaths(text: string): string {
    return this.inner.maskHostPaths(text);
  }
  release(): Promise<void> {
    return this.inner.release();
  }
}

const within = (b: Busy, from: number, to: number) => b.start >= from && b.end <= to;
const spent = (list: Busy[]) => list.reduce((s, b) => s + (b.end - b.start), 0);

// ---- one mode ----

interface ModeResult {
  mode: SandboxMode;
  rollouts: number;
  poolCreateMs: number;
  firstCheckoutMs: number;
  setupTeardown: Percentiles;
  acquire: Percentiles;
  release: Percentiles;
  /** Per tool step, outside the command's own run() and outside diff(). */
  stepOverhead: Percentiles;
  stepOverheadByKind: Record<string, Percentiles>;
  /** Same, from the agent's own StepRecord.toolMs (which leaves out the trajectory write). */
  stepToolMsLessCommand: Percentiles;
  /** runAgent start to the first teacher call, and the last teacher answer to runAgent's return less the diff. */
  rolloutStart: Percentiles;
  rolloutEnd: Percentiles;
  finalDiff: Percentiles;
  reviewDiff: Percentiles;
  /** Wall time of run() per bash step, and the process time inside it. */
  commandWall: Percentiles;
  commandProcess: Percentiles;
  /** run() wall less the process: the runner's own work (spawn bookkeeping, masking). */
  commandRunnerOnly: Percentiles;
  /** run('true'): the floor of what any command costs in this mode. */
  runTrue: Percentiles;
  /** Everything in a rollout but the teacher and the commands' processes, setup and teardown included. */
  totalOverheadPerRollout: Percentiles;
  teacherMsPerRollout: Percentiles;
}

async function measureMode(mode: SandboxMode, repo: ReturnType<typeof makeSyntheticRepo>, teacherUrl: string, rollouts: number): Promise<ModeResult> {
  const poolDir = mkdtempSync(join(tmpdir(), 'agent-bench-pool-'));
  const t0 = performance.now();
  const pool = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode });
  const poolCreateMs = performance.now() - t0;
  const t1 = performance.now();
  await pool.warm(1);
  const firstCheckoutMs = performance.now() - t1;
  const inner = createTeacher({ baseUrls: [teacherUrl], model: 'test-model', maxRetries: 0 });

  const m = new SampleSets();
  const pythonFiles = repo.files.map((f, i) => ({ f, i })).filter(({ f }) => f.endsWith('.py'));

  try {
    // one untimed rollout first: module loading, JIT and the page cache would otherwise land on rollout 1
    for (let r = -1; r < rollouts; r++) {
      const pick = pythonFiles[(Math.max(r, 0) * 7919) % pythonFiles.length];
      const k = Math.max(r, 0) % repo.functions[pick.i].length;
      const target: Target = { file: pick.f, fn: repo.functions[pick.i][k], k, scratch: `repro_${r + 1}.py` };
      const teacher = new TimedTeacher(inner);

      const a0 = performance.now();
      const leased = await pool.acquire();
      const a1 = performance.now();
      const copy = new TimedCopy(leased);
      const result = await runAgent({
        task: taskFor(target),
        teacher,
        sandbox: copy,
      });
      const a2 = performance.now();
      await copy.release();
      const a3 = performance.now();

      if (result.exit.status !== 'submitted') throw new Error(`rollout ${r + 1} in mode ${mode} ended with ${result.exit.status}: ${result.exit.reason ?? ''}`);
      if (!result.patch.includes('raise ValueError') || result.patch.includes(target.scratch)) throw new Error(`rollout ${r + 1} in mode ${mode} produced an unexpected patch:\n${result.patch}`);
      if (teacher.calls.length !== STEP_KINDS.length) throw new Error(`rollout ${r + 1}: ${teacher.calls.length} teacher calls, expected ${STEP_KINDS.length}`);
      if (r < 0) continue;

      m.push('acquire', a1 - a0);
      m.push('release', a3 - a2);
      m.push('setupTeardown', a1 - a0 + (a3 - a2));
      const calls = teacher.calls;
      m.push('rolloutStart', calls[0].start - a1);
      const lastDiffs = copy.diffs.filter((d) => within(d, calls[calls.length - 1].end, a2));
      m.push('finalDiff', spent(lastDiffs));
      m.push('rolloutEnd', a2 - calls[calls.length - 1].end - spent(lastDiffs));
      // steps 1..N-1: from a teacher answer to the next teacher call (the final submit ends the loop instead)
      for (let i = 0; i < calls.length - 1; i++) {
        const from = calls[i].end;
        const to = calls[i + 1].start;
        const runs = copy.runs.filter((b) => within(b, from, to));
        const diffs = copy.diffs.filter((b) => within(b, from, to));
        const overhead = to - from - spent(runs) - spent(diffs);
        m.push('step', overhead);
        m.push(`kind:${STEP_KINDS[i]}`, overhead);
        if (diffs.length) m.push('reviewDiff', spent(diffs));
        for (const b of runs) {
          m.push('commandWall', b.end - b.start);
          m.push('commandProcess', b.processMs!);
          m.push('commandRunnerOnly', b.end - b.start - b.processMs!);
        }
        m.push('stepToolMsLessCommand', result.trajectory.steps[i].toolMs - spent(runs) - spent(diffs));
      }
      const teacherMs = calls.reduce((s, c) => s + (c.end - c.start), 0);
      m.push('teacher', teacherMs);
      m.push('total', a3 - a0 - teacherMs - copy.runs.reduce((s, b) => s + b.processMs!, 0));
    }

    // the floor of any command in this mode
    const runTrue: number[] = [];
    const copy = await pool.acquire();
    for (let i = 0; i < 40; i++) {
      const s = performance.now();
      await copy.run('true', { timeoutMs: 30_000, maxOutputBytes: 10_000 });
      runTrue.push(performance.now() - s);
    }
    await copy.release();

    return {
      mode,
      rollouts,
      poolCreateMs,
      firstCheckoutMs,
      setupTeardown: m.summary('setupTeardown'),
      acquire: m.summary('acquire'),
      release: m.summary('release'),
      stepOverhead: m.summary('step'),
      // the final submit ends the loop, so it has no step of its own here
      stepOverheadByKind: Object.fromEntries([...new Set(STEP_KINDS.slice(0, -1))].map((k) => [k, m.summary(`kind:${k}`)])),
      stepToolMsLessCommand: m.summary('stepToolMsLessCommand'),
      rolloutStart: m.summary('rolloutStart'),
      rolloutEnd: m.summary('rolloutEnd'),
      finalDiff: m.summary('finalDiff'),
      reviewDiff: m.summary('reviewDiff'),
      commandWall: m.summary('commandWall'),
      commandProcess: m.summary('commandProcess'),
      commandRunnerOnly: m.summary('commandRunnerOnly'),
      runTrue: percentiles(runTrue),
      totalOverheadPerRollout: m.summary('total'),
      teacherMsPerRollout: m.summary('teacher'),
    };
  } finally {
    await pool.dispose();
    rmSync(poolDir, { recursive: true, force: true });
  }
}

// ---- the naive approach ----

function naiveWorktree(repoRoot: string, runs: number, scratch: string): { cycle: Percentiles; add: Percentiles; remove: Percentiles } {
  const git = (args: string[]) =>
    execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  const adds: number[] = [];
  const removes: number[] = [];
  for (let i = -1; i < runs; i++) {
    const dir = join(scratch, `naive-${i + 1}`);
    const s = performance.now();
    git(['worktree', 'add', '--quiet', '--detach', dir, 'HEAD']);
    const m = performance.now();
    git(['worktree', 'remove', '--force', dir]);
    const e = performance.now();
    if (i < 0) continue; // warm-up
    adds.push(m - s);
    removes.push(e - m);
  }
  git(['worktree', 'prune']);
  return { cycle: percentiles(adds.map((a, i) => a + removes[i])), add: percentiles(adds), remove: percentiles(removes) };
}

// ---- report ----

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '5000' },
      rollouts: { type: 'string', default: '60' },
      'worktree-runs': { type: 'string', default: '20' },
      modes: { type: 'string', default: 'host,bwrap' },
    },
  });
  const files = Number(values.files);
  const rollouts = Number(values.rollouts);
  const worktreeRuns = Number(values['worktree-runs']);
  const modes = values.modes!.split(',').map((m) => m.trim()) as SandboxMode[];
  const load = loadavg()[0];

  const scratch = mkdtempSync(join(tmpdir(), 'agent-bench-'));
  process.stderr.write(`generating a repository of ${files} files...\n`);
  const repo = makeSyntheticRepo({ files, functionsPerFile: 8, prefix: 'agent-bench-repo-' });
  const server = await startScriptedTeacher(scriptedStep, { latencyMs: 0 });
  const results: ModeResult[] = [];
  const skipped: { mode: string; why: string }[] = [];
  let naive: ReturnType<typeof naiveWorktree>;
  try {
    for (const mode of modes) {
      if (mode === 'bwrap' && !bwrapAvailable()) {
        skipped.push({ mode, why: 'bubblewrap is not installed or cannot create namespaces here (apt-get install bubblewrap)' });
        continue;
      }
      process.stderr.write(`mode ${mode}: ${rollouts} rollouts...\n`);
      results.push(await measureMode(mode, repo, server.url, rollouts));
    }
    process.stderr.write(`naive git worktree add + remove: ${worktreeRuns} runs...\n`);
    naive = naiveWorktree(repo.root, worktreeRuns, scratch);
  } finally {
    await server.close();
    await repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }

  const cell = (p: Percentiles | undefined) => (p ? [p.p50, p.p95] : [null, null]);
  const rows: (string | number | null)[][] = [];
  for (const r of results) {
    const m = r.mode;
    rows.push([`${m}: setup + teardown (acquire + release)`, ...cell(r.setupTeardown), `target p50 <= ${TARGET_SETUP_TEARDOWN_P50_MS}`]);
    rows.push([`${m}:   of which acquire`, ...cell(r.acquire), 'reused copy']);
    rows.push([`${m}:   of which release (reset + clean)`, ...cell(r.release), '']);
    rows.push([`${m}: per tool step, outside the command`, ...cell(r.stepOverhead), `target p50 <= ${TARGET_STEP_P50_MS}; ${r.stepOverhead.runs} steps`]);
    for (const [kind, p] of Object.entries(r.stepOverheadByKind)) rows.push([`${m}:   ${kind}`, ...cell(p), '']);
    rows.push([`${m}: diff at the end of a rollout`, ...cell(r.finalDiff), 'git add --all + git diff --cached']);
    rows.push([`${m}: diff shown on the first submit`, ...cell(r.reviewDiff), 'inside the review step']);
    rows.push([`${m}: rollout start / end (prompt, final diff bookkeeping)`, r.rolloutStart.p50, r.rolloutEnd.p50, 'p50 of start, p50 of end']);
    rows.push([`${m}: bash run(), whole call`, ...cell(r.commandWall), 'the commands themselves, process start included']);
    rows.push([`${m}:   of which outside the process`, ...cell(r.commandRunnerOnly), 'runner bookkeeping, output masking']);
    rows.push([`${m}: run('true'), any command's floor`, ...cell(r.runTrue), 'process start in this mode']);
    rows.push([`${m}: all orchestration per rollout`, ...cell(r.totalOverheadPerRollout), `${STEP_KINDS.length} teacher calls; teacher and command processes excluded`]);
  }
  rows.push(['fresh git worktree add + remove', ...cell(naive!.cycle), 'the naive approach, same repository']);
  rows.push(['  of which worktree add --detach', ...cell(naive!.add), '']);
  rows.push(['  of which worktree remove --force', ...cell(naive!.remove), '']);

  const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim().replace('git version ', '');
  console.log(`Agent orchestration overhead, ${rollouts} rollouts per mode of ${STEP_KINDS.length} zero-latency teacher calls, on a generated repository of ${files} files (${cpus().length} cores, git ${gitVersion}, load ${load.toFixed(2)}); ms\n`);
  console.log(markdownTable(['metric', 'p50', 'p95', 'note'], rows));
  for (const s of skipped) console.log(`\nmode ${s.mode} skipped: ${s.why}`);
  const verdicts = results.map((r) => {
    const setupOk = r.setupTeardown.p50 <= TARGET_SETUP_TEARDOWN_P50_MS;
    const stepOk = r.stepOverhead.p50 <= TARGET_STEP_P50_MS;
    return { mode: r.mode, setupTeardownMeetsTarget: setupOk, stepMeetsTarget: stepOk };
  });
  for (const v of verdicts) {
    console.log(`\n${v.mode}: setup + teardown ${v.setupTeardownMeetsTarget ? 'meets' : 'MISSES'} the ${TARGET_SETUP_TEARDOWN_P50_MS} ms target; per-step overhead ${v.stepMeetsTarget ? 'meets' : 'MISSES'} the ${TARGET_STEP_P50_MS} ms target`);
  }
  mkdirSync(resolve(__dirname, 'results'), { recursive: true });
  writeFileSync(
    RESULTS,
    JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        files,
        rollouts,
        teacherCallsPerRollout: STEP_KINDS.length,
        steps: STEP_KINDS,
        cores: cpus().length,
        loadAverageBefore: load,
        git: gitVersion,
        targets: { setupTeardownP50Ms: TARGET_SETUP_TEARDOWN_P50_MS, stepP50Ms: TARGET_STEP_P50_MS },
        verdicts,
        modes: results,
        skipped,
        naiveWorktree: naive!,
      },
      null,
      2,
    ),
  );
  console.log(`\nwrote ${RESULTS}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
