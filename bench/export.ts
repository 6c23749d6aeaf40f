/**
 * Export throughput and memory: a run of 20,000 samples of realistic size (two trajectories each,
 * 12-18 tool turns, tool outputs of 1-4 KB that show the real source files of a repository: the
 * openai package's TypeScript sources stand in for it) exported to every format by the real CLI
 * bundle, each export in its own process under /usr/bin/time -v.
 *
 * The CLI and its export worker are bundled into a temp folder with esbuild, as the shipped
 * extension bundles them, so the numbers include worker threads and no TypeScript loader.
 * MB/s counts the bytes of the JSONL files written; peak RSS is the whole process, workers included.
 *
 * Each format (all six unless --formats names some) is exported RUNS times (interleaved, so a
 * slow spell of the machine hits every format alike) and the median is reported. The peer in the same run is the floor of any export:
 * one process that only reads every trajectory, parses it and writes it back as one JSON line,
 * with no scrubbing, rendering or token counting.
 *
 *   npm run bench:export [-- --samples N --formats sera-hermes,openai --workers W --runs R --keep]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import type { ExportReport } from '../src/core/dataset';
import { FORMATS as ALL_FORMATS } from '../src/core/dataset/options';
import { median } from './lib/stats';
import { makeTempDir, realisticSamples, removeDir, writeRun, type CorpusFile } from '../test/support/run-fixture';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const key = process.argv[i].replace(/^--/, '');
  const next = process.argv[i + 1];
  if (next === undefined || next.startsWith('--')) args.set(key, 'true');
  else args.set(key, process.argv[++i]);
}
const SAMPLES = Number(args.get('samples') ?? 20_000);
const FORMATS = args.get('formats')?.split(',') ?? [...ALL_FORMATS];
const WORKERS = args.get('workers');
const RUNS = Number(args.get('runs') ?? 3);
const PROJECT = resolve(__dirname, '..');
const TARGET_MBS = 50;
const TARGET_RSS_MB = 300;

interface Row {
  format: string;
  trajectories: number;
  samples: number;
  mb: number;
  seconds: number;
  mbPerSecond: number;
  cpuSeconds: number;
  peakRssMb: number;
  tokens: number;
  workers: number;
}

function corpus(): CorpusFile[] {
  const root = join(PROJECT, 'node_modules/openai/src');
  const files: CorpusFile[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir).sort()) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push({ path: `src/${relative(root, p)}`, lines: readFileSync(p, 'utf8').split('\n') });
    }
  };
  walk(root);
  return files;
}

async function bundle(dir: string): Promise<string> {
  await build({
    entryPoints: { cli: join(PROJECT, 'src/cli/main.ts'), 'export-worker': join(PROJECT, 'src/core/dataset/worker.ts') },
    outdir: dir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'error',
  });
  return join(dir, 'cli.js');
}

function timeOutput(stderr: string): { seconds: number; rssKb: number; cpu: number } {
  const field = (name: string) => new RegExp(`${name}: (.+)`).exec(stderr)?.[1]?.trim() ?? '0';
  const wall = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)').split(':').map(Number);
  const seconds = wall.reduce((acc, v) => acc * 60 + v, 0);
  return { seconds, rssKb: Number(field('Maximum resident set size \\(kbytes\\)')), cpu: Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)')) };
}

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/time')) throw new Error('bench:export needs GNU time at /usr/bin/time (apt-get install time).');
  const tmp = makeTempDir('rs-bench-export-');
  try {
    const started = performance.now();
    const runDir = join(tmp, 'run');
    writeRun(runDir, { corpus: corpus(), samples: realisticSamples(SAMPLES) });
    const runBytes = Number(execFileSync('du', ['-sb', runDir], { encoding: 'utf8' }).split('\t')[0]);
    process.stderr.write(`run of ${SAMPLES} samples written (${(runBytes / 1e6).toFixed(0)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    const cli = await bundle(join(tmp, 'dist'));

    const measured = new Map<string, Row[]>(FORMATS.map((f) => [f, []]));
    const floor: { seconds: number; mb: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const format of FORMATS) {
        const row = exportOnce(cli, runDir, join(tmp, `out-${format}`), format);
        measured.get(format)!.push(row);
        process.stderr.write(`run ${run + 1}/${RUNS} ${format}: ${row.mbPerSecond} MB/s, ${row.peakRssMb} MB peak\n`);
      }
      floor.push(copyFloor(tmp, runDir));
      process.stderr.write(`run ${run + 1}/${RUNS} floor: ${round(floor[floor.length - 1].mb / floor[floor.length - 1].seconds)} MB/s\n`);
    }
    const rows = FORMATS.map((format) => medianRow(measured.get(format)!));
    const floorSeconds = median(floor.map((f) => f.seconds));
    const floorMbs = round(floor[0].mb / floorSeconds);

    const table = [
      `Export of ${SAMPLES.toLocaleString('en')} samples (${rows[0]?.trajectories.toLocaleString('en')} trajectories, run folder ${(runBytes / 1e6).toFixed(0)} MB), ${cpus().length} cores, Node ${process.version}:`,
      '',
      '| format | written | seconds | MB/s | CPU s | peak RSS | tokens |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.format} | ${r.mb.toFixed(0)} MB | ${r.seconds.toFixed(1)} | ${r.mbPerSecond.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${r.peakRssMb.toFixed(0)} MB | ${(r.tokens / 1e6).toFixed(1)}M |`),
      '',
      `Median of ${RUNS} runs (peak RSS: the highest). Floor in the same runs (read, parse and rewrite every trajectory as one JSON line, one thread): ${floorMbs} MB/s.`,
      `Targets: at least ${TARGET_MBS} MB/s and a peak RSS under ${TARGET_RSS_MB} MB.`,
    ].join('\n');
    process.stdout.write(table + '\n');
    const results = join(PROJECT, 'bench/results');
    mkdirSync(results, { recursive: true });
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    writeFileSync(
      join(results, 'export.json'),
      JSON.stringify({ date: new Date().toISOString(), samples: SAMPLES, runMb: round(runBytes / 1e6), cores: cpus().length, memoryGb: round(totalmem() / 2 ** 30), node: process.version, loadAverageAfter: load, runs: RUNS, targets: { mbPerSecond: TARGET_MBS, peakRssMb: TARGET_RSS_MB }, rows, all: Object.fromEntries(measured), floor: { mbPerSecond: floorMbs, runs: floor } }, null, 2) + '\n',
    );
  } finally {
    if (!args.has('keep')) removeDir(tmp);
    else process.stderr.write(`kept ${tmp}\n`);
  }
}

function exportOnce(cli: string, runDir: string, out: string, format: string): Row {
  rmSync(out, { recursive: true, force: true });
  const argv = [cli, 'export', runDir, '--out', out, '--format', format, '--threshold', '0', '--json', ...(WORKERS ? ['--workers', WORKERS] : [])];
  const child = spawnSync('/usr/bin/time', ['-v', process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`export to ${format} failed: ${child.stderr.slice(-2000)}`);
  const report = JSON.parse(child.stdout) as ExportReport;
  const t = timeOutput(child.stderr);
  const mb = report.bytes / 1e6;
  if (!args.has('keep')) rmSync(out, { recursive: true, force: true });
  return {
    format,
    trajectories: report.written.total,
    samples: report.samples,
    mb: round(mb),
    seconds: round(t.seconds),
    mbPerSecond: round(mb / t.seconds),
    cpuSeconds: round(t.cpu),
    peakRssMb: round(t.rssKb / 1024),
    tokens: report.tokens.total,
    workers: report.workers,
  };
}

/** The median run by wall time, with the highest peak memory of all runs. */
function medianRow(runs: Row[]): Row {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[(sorted.length - 1) >> 1];
  return { ...mid, peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)) };
}

/** What any exporter must at least do: read, parse and write back each trajectory, in one thread. */
function copyFloor(tmp: string, runDir: string): { seconds: number; mb: number } {
  const script = join(tmp, 'floor.js');
  const out = join(tmp, 'floor.jsonl');
  writeFileSync(
    script,
    `const fs = require('fs'), path = require('path');
const dir = path.join(process.argv[2], 'trajectories'), fd = fs.openSync(process.argv[3], 'w');
let bytes = 0;
for (const f of fs.readdirSync(dir).sort()) {
  const line = Buffer.from(JSON.stringify(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) + '\\n');
  fs.writeSync(fd, line);
  bytes += line.length;
}
fs.closeSync(fd);
process.stdout.write(String(bytes));
`,
  );
  const started = performance.now();
  const bytes = Number(execFileSync(process.execPath, [script, runDir, out], { encoding: 'utf8' }));
  const seconds = (performance.now() - started) / 1000;
  rmSync(out, { force: true });
  return { seconds: round(seconds), mb: round(bytes / 1e6) };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:export: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
