/**
 * Orchestration overhead of the isolated copies, on a generated repository of 5,000+ files:
 * acquire + release of a pooled copy (with a small edit in between), diff(), the per-command
 * overhead of run('true') in each sandbox mode that works here, and beside them a fresh
 * `git worktree add` + `git worktree remove` on the same repository.
 *
 *   npm run bench:sandbox -- [--files 5000] [--runs 200] [--command-runs 100] [--worktree-runs 20]
 *
 * Prints a markdown table and writes bench/results/sandbox-overhead.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { processLimitKind } from '../src/core/sandbox/process-limit';
import { bwrapAvailable, SandboxPool, type SandboxMode } from '../src/core/sandbox';
import { percentiles, type Percentiles } from './lib/percentiles';

const TARGET_P50_MS = 50;
const RESULTS = resolve(__dirname, 'results', 'sandbox-overhead.json');

type Stats = Percentiles;
const stats = (samples: number[]): Stats => percentiles(samples);

function git(cwd: string, args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** A repository shaped like a mid-sized project: nested folders of small source files. */
function generateRepo(files: number): string {
  const root = mkdtempSync(join(tmpdir(), 'sandbox-bench-repo-'));
  git(root, ['init', '-q']);
  const perDir = 50;
  for (let i = 0; i < files; i++) {
    const dir = join(root, 'src', `pkg${Math.floor(i / (perDir * 10))}`, `mod${Math.floor(i / perDir) % 10}`);
    if (i % perDir === 0) mkdirSync(dir, { recursive: true });
    const body = Array.from({ length: 30 }, (_, k) => `def f${i}_${k}(x):\n    return x + ${k}\n`).join('\n');
    writeFileSync(join(dir, `file${i}.py`), body);
  }
  writeFileSync(join(root, '.gitignore'), 'build/\n');
  git(root, ['add', '-A']);
  git(root, ['commit', '-qm', 'generated']);
  return root;
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '200' },
      'command-runs': { type: 'string', default: '100' },
      'worktree-runs': { type: 'string', default: '20' },
    },
  });
  const files = Number(values.files);
  const runs = Number(values.runs);
  const commandRuns = Number(values['command-runs']);
  const worktreeRuns = Number(values['worktree-runs']);

  const repo = generateRepo(files);
  const poolDir = mkdtempSync(join(tmpdir(), 'sandbox-bench-pool-'));
  const rows: { metric: string; stats: Stats | null; note: string }[] = [];
  try {
    const [createMs, pool] = await time(() => SandboxPool.create({ repoRoot: repo, poolDir, mode: 'host' }));
    const [firstMs, first] = await time(() => pool.acquire());
    await first.release();
    rows.push({ metric: 'pool create (resolve base, control repo)', stats: stats([createMs]), note: 'once per run' });
    rows.push({ metric: 'first acquire (checkout of a new copy)', stats: stats([firstMs]), note: 'once per concurrent rollout' });

    const cycle: number[] = [];
    const acquireOnly: number[] = [];
    const releaseOnly: number[] = [];
    const diffs: number[] = [];
    const trackedDiffs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const [a, copy] = await time(() => pool.acquire());
      // the rollout: edit a file, delete one, then add one and leave an ignored build product
      // tracked edits only (the usual rollout): the whole copy is walked, then one git process diffs
      writeFileSync(join(copy.root, 'src', 'pkg0', 'mod0', 'file0.py'), `# edit ${i}\n`);
      unlinkSync(join(copy.root, 'src', 'pkg0', 'mod0', 'file1.py'));
      const [t, tracked] = await time(() => copy.diff());
      if (!tracked.includes('file1.py')) throw new Error('diff lost a deletion');
      trackedDiffs.push(t);
      // a new file and an ignored build product too: staged first
      writeFileSync(join(copy.root, `new-${i}.py`), 'print(1)\n');
      mkdirSync(join(copy.root, 'build'), { recursive: true });
      writeFileSync(join(copy.root, 'build', 'out.bin'), Buffer.alloc(1024));
      const [d, patch] = await time(() => copy.diff());
      if (!patch.includes(`new-${i}.py`)) throw new Error('diff lost a new file');
      const [r] = await time(() => copy.release());
      acquireOnly.push(a);
      releaseOnly.push(r);
      cycle.push(a + r);
      diffs.push(d);
    }
    rows.push({ metric: 'acquire + release (setup + teardown)', stats: stats(cycle), note: `target p50 <= ${TARGET_P50_MS} ms` });
    rows.push({ metric: '  of which acquire', stats: stats(acquireOnly), note: 'reused copy: waits for the reset of the one released before' });
    rows.push({ metric: '  of which release', stats: stats(releaseOnly), note: "stops the copy's commands; the reset runs in the background" });
    rows.push({ metric: 'diff() after editing and deleting tracked files', stats: stats(trackedDiffs), note: 'one request: a shell running add --all into a private index and diff --cached' });
    rows.push({ metric: 'diff() after that plus a new and an ignored file', stats: stats(diffs), note: 'the same request' });
    await pool.dispose();

    const modes: SandboxMode[] = ['host', 'bwrap', 'docker'];
    for (const mode of modes) {
      if (mode === 'bwrap' && !bwrapAvailable()) {
        rows.push({ metric: "run('true') in mode bwrap", stats: null, note: 'bubblewrap not usable here' });
        continue;
      }
      if (mode === 'docker') {
        let engine = false;
        try {
          execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
          engine = true;
        } catch {
          engine = false;
        }
        if (!engine) {
          rows.push({ metric: "run('true') in mode docker", stats: null, note: 'no docker engine on this machine' });
          continue;
        }
      }
      // beside each mode its peer without the per-command process limit (maxProcesses 0), in turns
      const variants = mode === 'docker' ? [undefined] : [undefined, 0];
      const pools = await Promise.all(variants.map((maxProcesses) => SandboxPool.create({ repoRoot: repo, poolDir, mode, maxProcesses, dockerImage: mode === 'docker' ? 'debian:12-slim' : undefined })));
      const copies = await Promise.all(pools.map((p) => p.acquire()));
      const samples: number[][] = variants.map(() => []);
      for (let i = 0; i < commandRuns; i++) {
        for (const [v, copy] of copies.entries()) {
          const [ms, result] = await time(() => copy.run('true', { timeoutMs: 30_000, maxOutputBytes: 10_000 }));
          if (result.exitCode !== 0) throw new Error(`run('true') failed in mode ${mode}: ${result.output}`);
          samples[v].push(ms);
        }
      }
      for (const copy of copies) await copy.release();
      for (const p of pools) await p.dispose();
      rows.push({ metric: `run('true') in mode ${mode}`, stats: stats(samples[0]), note: mode === 'docker' ? 'whole call, process start to result' : `whole call, with the process limit (${processLimitKind()})` });
      if (variants.length > 1) rows.push({ metric: `run('true') in mode ${mode}, no process limit`, stats: stats(samples[1]), note: 'the same pool settings otherwise, in turns with the row above' });
    }

    const worktree: number[] = [];
    const adds: number[] = [];
    const removes: number[] = [];
    for (let i = 0; i < worktreeRuns; i++) {
      const dir = join(poolDir, `wt-${i}`);
      const [add] = await time(async () => git(repo, ['worktree', 'add', '-q', '--detach', dir, 'HEAD']));
      writeFileSync(join(dir, 'src', 'pkg0', 'mod0', 'file0.py'), '# edit\n');
      const [remove] = await time(async () => git(repo, ['worktree', 'remove', '--force', dir]));
      adds.push(add);
      removes.push(remove);
      worktree.push(add + remove);
    }
    git(repo, ['worktree', 'prune']);
    rows.push({ metric: 'fresh git worktree add + remove', stats: stats(worktree), note: 'for comparison, same repository' });
    rows.push({ metric: '  of which worktree add', stats: stats(adds), note: '' });
    rows.push({ metric: '  of which worktree remove', stats: stats(removes), note: '' });
  } finally {
    rmSync(repo, { recursive: true, force: true });
    rmSync(poolDir, { recursive: true, force: true });
  }

  const fmt = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(1));
  const lines = [
    `Sandbox overhead on a generated repository of ${files} files (${cpus().length} cores, git ${git(process.cwd(), ['--version']).trim().replace('git version ', '')}), times in ms`,
    '',
    '| metric | p50 | p95 | mean | runs | note |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.metric} | ${fmt(r.stats?.p50)} | ${fmt(r.stats?.p95)} | ${fmt(r.stats?.mean)} | ${r.stats?.runs ?? 0} | ${r.note} |`),
  ];
  console.log(lines.join('\n'));
  const cycleRow = rows.find((r) => r.metric.startsWith('acquire + release'));
  const met = cycleRow?.stats ? cycleRow.stats.p50 <= TARGET_P50_MS : false;
  console.log(`\nsetup + teardown p50 ${fmt(cycleRow?.stats?.p50)} ms: ${met ? 'meets' : 'MISSES'} the ${TARGET_P50_MS} ms target`);
  mkdirSync(resolve(__dirname, 'results'), { recursive: true });
  writeFileSync(
    RESULTS,
    JSON.stringify({ measuredAt: new Date().toISOString(), files, cores: cpus().length, targetP50Ms: TARGET_P50_MS, meetsTarget: met, rows }, null, 2),
  );
  console.log(`wrote ${RESULTS}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
