/**
 * Orchestration overhead of `specialize eval` per task, next to generation's per rollout, against
 * a scripted teacher with no latency (test/support/svg-teacher.ts in a process of its own, a real
 * OpenAI-compatible server on localhost), sandbox 'host', concurrency 1, on a generated Python
 * repository of --files files whose functions all play 'reproduce'.
 *
 * Each run: `generate()` makes --samples samples (two rollouts each, one PR text); `exportDataset`
 * splits them by function (--validation 0.5); `runEval()` runs two model labels on the held-out
 * samples ("run tasks": one base commit, one pool); `runEval()` runs the same two labels on the
 * --commits newest commits of the repository ("history tasks": every task starts at its own parent,
 * so a pool and its copies are made per task). Every rollout does the same: one edit, two submits.
 *
 * Overhead = (wall time of the whole call - time spent waiting for the teacher, summed over the
 * trajectories' model calls and the PR texts) / rollouts. For generation it includes the scan,
 * the plan and the PR stage's bookkeeping; for eval the task selection, the preflight calls, the
 * copies and the scoring.
 *
 *   npm run bench:eval -- [--files 1000] [--samples 16] [--commits 8] [--runs 3]
 *
 * Prints a markdown table and writes bench/results/eval-overhead.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Trajectory } from '../src/core/agent/types';
import { exportDataset } from '../src/core/dataset';
import { EVAL_FILES, runEval, type EvalResult } from '../src/core/eval';
import { generate } from '../src/core/generation';
import { readJsonl, type SampleRecord } from '../src/core/store';
import { runGit } from '../test/support/fixture-repo';
import { addedLines } from '../test/support/svg-teacher';
import { makeSyntheticRepo, syntheticPythonFunction } from './lib/synthetic-repo';
import { markdownTable } from './lib/table';
import { startSvgTeacherProcess } from './lib/teacher-process';

const RESULTS = resolve(__dirname, 'results', 'eval-overhead.json');

const { values: args } = parseArgs({
  options: { files: { type: 'string', default: '1000' }, samples: { type: 'string', default: '16' }, commits: { type: 'string', default: '8' }, runs: { type: 'string', default: '3' } },
});
const FILES = Number(args.files);
const SAMPLES = Number(args.samples);
const COMMITS = Number(args.commits);
const RUNS = Number(args.runs);

interface Measure {
  what: string;
  rollouts: number;
  wallMs: number;
  teacherMs: number;
  perRolloutMs: number;
}

const stepsMs = (t: Trajectory) => t.steps.reduce((s, x) => s + x.teacherMs, 0);
const readTrajectory = (dir: string, rel: string) => JSON.parse(readFileSync(join(dir, rel), 'utf8')) as Trajectory;

function measure(what: string, rollouts: number, wallMs: number, teacherMs: number): Measure {
  return { what, rollouts, wallMs: Math.round(wallMs), teacherMs: Math.round(teacherMs), perRolloutMs: Math.round(((wallMs - teacherMs) / rollouts) * 10) / 10 };
}

async function oneRun(index: number, teacherUrl: string): Promise<Measure[]> {
  const repo = makeSyntheticRepo({ files: FILES, functionsPerFile: 3, language: 'python', functionName: (i, k) => `reproduce_f${i}_${k}`, prefix: 'bench-eval-' });
  // History: commits that each guard one function, with a message naming it (as a person would).
  for (let j = 0; j < COMMITS; j++) {
    const fn = `reproduce_f${j}_0`;
    const path = join(repo.root, repo.files[j]);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace(syntheticPythonFunction(fn, 0), syntheticPythonFunction(fn, 0).replace('\n', `\n${addedLines(fn).join('\n')}\n`)));
    runGit(repo.root, ['commit', '--quiet', '-am', `Guard \`${fn}\` in ${repo.files[j]} against missing inputs`]);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'bench-eval-out-'));
  const teacher = { baseUrls: [teacherUrl], model: 'test-model', maxRetries: 0 };
  const models = ['a', 'b'].map((label) => ({ label, model: 'test-model', baseUrls: [teacherUrl] }));
  try {
    const run = join(scratch, 'run');
    let t0 = performance.now();
    await generate({ repo: repo.root, out: run, teacher, samples: SAMPLES, concurrency: 1, maxSteps: 6, sandbox: 'host', seed: `bench-${index}` });
    const genWall = performance.now() - t0;
    const samples = readJsonl<SampleRecord>(join(run, 'samples.jsonl'));
    let genTeacher = 0;
    for (const s of samples) {
      for (const r of [s.rollout1, s.rollout2]) if (r) genTeacher += stepsMs(readTrajectory(run, r.trajectory));
      genTeacher += s.syntheticPr?.ms ?? 0;
    }
    const rollouts = samples.reduce((n, s) => n + (s.rollout1 ? 1 : 0) + (s.rollout2 ? 1 : 0), 0);

    const dataset = join(scratch, 'dataset');
    await exportDataset({ runDirs: [run], out: dataset, validation: 0.5, workers: 0 });
    const evalOf = async (out: string, tasks: Parameters<typeof runEval>[0]['tasks']) => {
      t0 = performance.now();
      const summary = await runEval({ repo: repo.root, out, tasks, models, concurrency: 1, maxSteps: 6, sandbox: 'host' });
      const wall = performance.now() - t0;
      const results = readJsonl<EvalResult>(join(out, EVAL_FILES.results));
      if (results.some((r) => r.error || !r.resolved)) throw new Error(`a scripted eval rollout did not resolve its task in ${out}`);
      const waited = results.reduce((s, r) => s + stepsMs(readTrajectory(out, r.trajectory)), 0);
      return { wall, waited, pairs: summary.progress.done };
    };
    const fromRuns = await evalOf(join(scratch, 'eval-runs'), { runs: { runDirs: [run], split: dataset } });
    const fromHistory = await evalOf(join(scratch, 'eval-history'), { history: { limit: COMMITS } });
    return [
      measure('generate: per rollout (2 per sample)', rollouts, genWall, genTeacher),
      measure('eval, held-out run tasks: per task and model', fromRuns.pairs, fromRuns.wall, fromRuns.waited),
      measure('eval, history tasks (a pool per commit): per task and model', fromHistory.pairs, fromHistory.wall, fromHistory.waited),
    ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await repo.cleanup();
  }
}

async function main(): Promise<void> {
  const runs: Measure[][] = [];
  for (let i = 0; i < RUNS; i++) {
    // A fresh server per run: a keep-alive socket the last run left idle must not fail the next preflight.
    const server = await startSvgTeacherProcess(0);
    try {
      runs.push(await oneRun(i, server.url));
    } finally {
      await server.close();
    }
    process.stderr.write(`run ${i + 1}/${RUNS}: ${runs[i].map((m) => `${m.perRolloutMs} ms`).join(', ')}\n`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = runs[0].map((m, k) => {
    const per = runs.map((r) => r[k].perRolloutMs);
    return { what: m.what, rollouts: m.rollouts, medianMs: median(per), runsMs: per, wallMs: runs.map((r) => r[k].wallMs), teacherMs: runs.map((r) => r[k].teacherMs) };
  });
  process.stdout.write(
    `${FILES} files, ${SAMPLES} samples, ${COMMITS} commits, concurrency 1, teacher latency 0, ${RUNS} runs; load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores\n\n` +
      markdownTable(['what', 'rollouts', 'overhead per rollout, median (ms)', 'each run (ms)'], rows.map((r) => [r.what, r.rollouts, r.medianMs, r.runsMs.join(' / ')])) +
      '\n',
  );
  mkdirSync(resolve(__dirname, 'results'), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify({ files: FILES, samples: SAMPLES, commits: COMMITS, runs: RUNS, load: loadavg(), cores: cpus().length, rows }, null, 2) + '\n');
}

void main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
