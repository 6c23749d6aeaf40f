/**
 * Throughput of a whole SVG run against a teacher that takes 200 ms per call, and against one that
 * takes 2 s per call (as a local 7B-32B model answers): `generate()` from src/core/generation with sandbox 'host' and threshold 0.5 drives the scenario teacher (a real
 * OpenAI-compatible HTTP server on localhost, test/support/svg-teacher.ts) over a generated
 * repository whose start functions all play 'reproduce' (rollout 1 edits, the PR writer writes,
 * rollout 2 makes the same edit: recall 1).
 *
 * For each concurrency: samples per minute against the latency-bound ideal, the rate of a run
 * whose only cost is the teacher's latency. Every sample waits for its calls one after another
 * (calls per sample = what the server received / samples), and C workers hold one sample each,
 * so S samples take at least ceil(S / C) rounds of (calls x latency):
 *   ideal = S x 60 s / (ceil(S / C) x calls x latency).
 * Also shown: the rate bound C x 60 s / (calls x latency), which only a run whose sample count
 * is a multiple of C can approach (200 samples on 32 workers: 6.25 rounds take 7, so at most
 * 89.3% of it), and the rate while every worker was busy (from the first sample until the last
 * one started: "steady"). The teacher
 * runs in a process of its own, as a real one would. Diagnostics say where the rest of the time goes: the
 * teacher's latency as the client saw it, the tools, the stages around them, event-loop delay
 * and CPU (ours and our child processes').
 *
 * Each concurrency runs --runs times (default 3) and the run with the median rate is reported.
 * With a latency of a second or more, each of --slow-concurrency runs --slow-rounds rounds of its
 * workers (2 x C samples): what matters there is how much of the teacher's time the rest adds.
 *
 *   npm run bench:svg -- [--latency 200,2000] [--samples 200] [--samples-c1 40] [--concurrency 1,8,32]
 *                        [--slow-concurrency 8,32] [--slow-rounds 2] [--runs 3] [--out FILE]
 *
 * Prints a markdown table and writes bench/results/svg-throughput.json.
 */
import { readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance as perf, type EventLoopUtilization } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Trajectory } from '../src/core/agent/types';
import { readJsonl, type SampleRecord } from '../src/core/store';
import { generate, type RunSummary } from '../src/core/generation';
import { percentiles, type Percentiles } from './lib/percentiles';
import { makeSyntheticRepo } from './lib/synthetic-repo';
import { markdownTable } from './lib/table';
import { installSpawnMeter, type SpawnMeter } from './lib/spawn-meter';
import { processHostPid } from '../src/core/sandbox/process-host';
import { startSvgTeacherProcess } from './lib/teacher-process';

const TARGET_AT_32 = 0.9;
/** The scripted teacher's usual answer time, and a realistic one: a local 7B-32B model takes seconds per call. */
const FAST_LATENCY_MS = 200;
const SLOW_LATENCY_MS = 2000;
const RESULTS = resolve(__dirname, 'results', 'svg-throughput.json');

/** Busy and total CPU time of the whole machine (every process, the teacher's included), from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = values.map(Number);
  const idle = n[3] + (n[4] ?? 0);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU seconds of a process and of the children it has waited for (git, sed), from /proc; 0 when it is gone. */
function processCpuSeconds(pid: number | null): { self: number; children: number } {
  if (!pid) return { self: 0, children: 0 };
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const at = (n: number) => Number(fields[n - 3]) / 100;
    return { self: at(14) + at(15), children: at(16) + at(17) };
  } catch {
    return { self: 0, children: 0 };
  }
}

/** Our share of the machine: the process host starts git and the commands, so its children are ours too. */
function oursCpuSeconds(): { self: number; children: number; host: number; hostChildren: number } {
  const own = processCpuSeconds(process.pid);
  const host = processCpuSeconds(processHostPid());
  return { ...own, host: host.self, hostChildren: host.children };
}

interface RunResult {
  concurrency: number;
  samples: number;
  stoppedBy: RunSummary['stoppedBy'];
  statuses: Record<string, number>;
  chatRequests: number;
  callsPerSample: number;
  /** generate() from call to return: preflight, pool, scan, warm-up of the copies, samples, clean-up. */
  wholeRunSec: number;
  /** From the first progress report (copies warmed) to the last sample finished. */
  samplePhaseSec: number;
  samplesPerMinute: number;
  wholeRunSamplesPerMinute: number;
  /** Samples finished per minute until the last sample started, while all workers were busy. */
  steadySamplesPerMinute: number;
  steadyEfficiency: number;
  /** The rate bound: concurrency x 60 s / (calls per sample x latency). */
  idealPerMinute: number;
  /** The latency-bound ideal of this run: samples x 60 s / (ceil(samples / concurrency) x calls x latency). */
  waveIdealPerMinute: number;
  /** Of the rate bound. */
  efficiency: number;
  /** Of the latency-bound ideal: what the target is about. */
  waveEfficiency: number;
  /** Per teacher call as the client saw it (HTTP and JSON included), from the trajectories' teacherMs. */
  clientCallMs: Percentiles;
  /** Per sample: its wall time, its time waiting for the teacher, and the rest. */
  sampleMs: Percentiles;
  sampleTeacherMs: Percentiles;
  sampleOtherMs: Percentiles;
  /** Per sample: wall time outside runAgent and the PR call (acquire, final diff, release, stage records, scoring). */
  sampleBetweenStagesMs: Percentiles;
  /** Per rollout: tool time (commands and diffs inside the loop) from the trajectories. */
  rolloutToolMs: Percentiles;
  /** Per rollout: runAgent's wall time less its teacher and tool time (trajectory writes, prompt building). */
  rolloutLoopMs: Percentiles;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** Share of the sample phase the main thread was busy, and how much of it went into starting child processes. */
  mainThread: { busyShare: number; spawns: number; spawnsPerSample: number; spawnBlockedSec: number; spawnBlockedShare: number; perSpawnMs: Percentiles | null };
  cpu: { selfSec: number; childrenSec: number; hostSec: number; teacherSec: number; shareOfMachine: number; machineBusy: number };
}

async function runOnce(repoRoot: string, scratch: string, concurrency: number, samples: number, latencyMs: number, spawns: SpawnMeter): Promise<RunResult> {
  const server = await startSvgTeacherProcess(latencyMs);
  const out = join(scratch, `run-c${concurrency}`);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let phaseStart = 0;
  let phaseEnd = 0;
  let lastStart = 0;
  let doneAtLastStart = 0;
  let cpuAtStart = oursCpuSeconds();
  let cpuAtEnd = cpuAtStart;
  let teacherAtStart = processCpuSeconds(server.pid).self;
  let teacherAtEnd = teacherAtStart;
  let machineAtStart = machineTicks();
  let machineAtEnd = machineAtStart;
  let eluAtStart: EventLoopUtilization | undefined;
  let elu: EventLoopUtilization | undefined;
  let spawnsInPhase: ReturnType<SpawnMeter['read']> | undefined;
  const started = performance.now();
  let summary: RunSummary;
  try {
    summary = await generate({
      repo: repoRoot,
      out,
      teacher: { baseUrls: [server.url], model: 'test-model', maxRetries: 0 },
      samples,
      concurrency,
      threshold: 0.5,
      sandbox: 'host',
      seed: 'bench',
      scanCacheDir: join(scratch, 'scan-cache'),
      onProgress: (p) => {
        if (!phaseStart) {
          phaseStart = performance.now();
          cpuAtStart = oursCpuSeconds();
          teacherAtStart = processCpuSeconds(server.pid).self;
          machineAtStart = machineTicks();
          eluAtStart = perf.eventLoopUtilization();
          spawns.reset();
          delay.enable();
        }
        if (p.done + p.inFlight === p.total && !lastStart) {
          lastStart = performance.now();
          doneAtLastStart = p.done;
        }
        if (p.done === p.total && !phaseEnd) {
          phaseEnd = performance.now();
          elu = perf.eventLoopUtilization(eluAtStart);
          cpuAtEnd = oursCpuSeconds();
          teacherAtEnd = processCpuSeconds(server.pid).self;
          machineAtEnd = machineTicks();
          spawnsInPhase = spawns.read();
          delay.disable();
        }
      },
    });
  } finally {
    delay.disable();
  }
  const wholeRunSec = (performance.now() - started) / 1000;
  const chatRequests = await server.chats();
  await server.close();

  const records = readJsonl<SampleRecord>(join(out, 'samples.jsonl'));
  const statuses: Record<string, number> = {};
  for (const r of records) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const callMs: number[] = [];
  const sampleMs: number[] = [];
  const sampleTeacher: number[] = [];
  const sampleOther: number[] = [];
  const toolMs: number[] = [];
  const loopMs: number[] = [];
  const between: number[] = [];
  for (const r of records) {
    let teacher = r.syntheticPr?.ms ?? 0;
    between.push(r.ms - (r.rollout1?.ms ?? 0) - (r.syntheticPr?.ms ?? 0) - (r.rollout2?.ms ?? 0));
    if (r.syntheticPr) callMs.push(r.syntheticPr.ms / Math.max(1, r.syntheticPr.attempts));
    for (const rollout of [r.rollout1, r.rollout2]) {
      if (!rollout) continue;
      const t = JSON.parse(readFileSync(join(out, rollout.trajectory), 'utf8')) as Trajectory;
      const tTeacher = t.steps.reduce((s, st) => s + st.teacherMs, 0);
      const tTool = t.steps.reduce((s, st) => s + st.toolMs, 0);
      for (const st of t.steps) callMs.push(st.teacherMs);
      teacher += tTeacher;
      toolMs.push(tTool);
      loopMs.push(t.ms - tTeacher - tTool);
    }
    sampleMs.push(r.ms);
    sampleTeacher.push(teacher);
    sampleOther.push(r.ms - teacher);
  }

  const n = records.length;
  const phaseSec = ((phaseEnd || performance.now()) - phaseStart) / 1000;
  const callsPerSample = chatRequests / n;
  const perSampleSec = (callsPerSample * latencyMs) / 1000;
  const ideal = (concurrency * 60) / perSampleSec;
  const waveIdeal = (n / (Math.ceil(n / concurrency) * perSampleSec)) * 60;
  const rate = (n / phaseSec) * 60;
  // with one worker the last sample starts when all others are done; the rate up to then is the same measure
  const steadyRate = doneAtLastStart > 0 ? (doneAtLastStart / ((lastStart - phaseStart) / 1000)) * 60 : rate;
  const ms = (x: number) => Math.round(x * 100) / 100;
  const cpuSelf = cpuAtEnd.self - cpuAtStart.self;
  const cpuChildren = cpuAtEnd.children - cpuAtStart.children + cpuAtEnd.hostChildren - cpuAtStart.hostChildren;
  const cpuHost = cpuAtEnd.host - cpuAtStart.host;
  return {
    concurrency,
    samples: n,
    stoppedBy: summary.stoppedBy,
    statuses,
    chatRequests,
    callsPerSample: ms(callsPerSample),
    wholeRunSec: ms(wholeRunSec),
    samplePhaseSec: ms(phaseSec),
    samplesPerMinute: ms(rate),
    wholeRunSamplesPerMinute: ms((n / wholeRunSec) * 60),
    steadySamplesPerMinute: ms(steadyRate),
    steadyEfficiency: ms(steadyRate / ideal),
    idealPerMinute: ms(ideal),
    waveIdealPerMinute: ms(waveIdeal),
    efficiency: ms(rate / ideal),
    waveEfficiency: ms(rate / waveIdeal),
    clientCallMs: percentiles(callMs),
    sampleMs: percentiles(sampleMs),
    sampleTeacherMs: percentiles(sampleTeacher),
    sampleOtherMs: percentiles(sampleOther),
    sampleBetweenStagesMs: percentiles(between),
    rolloutToolMs: percentiles(toolMs),
    rolloutLoopMs: percentiles(loopMs),
    eventLoopDelayMs: { p50: ms(delay.percentile(50) / 1e6), p99: ms(delay.percentile(99) / 1e6), max: ms(delay.max / 1e6) },
    mainThread: {
      busyShare: ms(elu?.utilization ?? NaN),
      spawns: spawnsInPhase?.count ?? 0,
      spawnsPerSample: ms((spawnsInPhase?.count ?? 0) / n),
      spawnBlockedSec: ms((spawnsInPhase?.totalMs ?? 0) / 1000),
      spawnBlockedShare: ms((spawnsInPhase?.totalMs ?? 0) / 1000 / phaseSec),
      perSpawnMs: spawnsInPhase?.perSpawn ?? null,
    },
    cpu: {
      selfSec: ms(cpuSelf),
      childrenSec: ms(cpuChildren),
      hostSec: ms(cpuHost),
      teacherSec: ms(teacherAtEnd - teacherAtStart),
      shareOfMachine: ms((cpuSelf + cpuChildren + cpuHost) / phaseSec / cpus().length),
      machineBusy: ms((machineAtEnd.busy - machineAtStart.busy) / Math.max(1, machineAtEnd.total - machineAtStart.total)),
    },
  };
}

interface CaseResult {
  latencyMs: number;
  levels: number[];
  /** Per level, the run with the median rate. */
  runs: RunResult[];
  everyRun: RunResult[][];
}

async function runCase(repoRoot: string, scratch: string, latencyMs: number, levels: number[], samplesAt: (c: number) => number, runs: number, spawns: SpawnMeter): Promise<CaseResult> {
  const results: RunResult[] = [];
  const everyRun: RunResult[][] = [];
  for (const c of levels) {
    const n = samplesAt(c);
    const these: RunResult[] = [];
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`${latencyMs} ms per call, concurrency ${c}, run ${i + 1}/${runs}: ${n} samples...\n`);
      const r = await runOnce(repoRoot, scratch, c, n, latencyMs, spawns);
      rmSync(join(scratch, `run-c${c}`), { recursive: true, force: true });
      process.stderr.write(`  ${r.samplesPerMinute} samples/min (${Math.round(r.waveEfficiency * 100)}% of ideal, ${Math.round(r.efficiency * 100)}% of the rate bound) in ${r.samplePhaseSec} s\n`);
      these.push(r);
    }
    // The run with the median rate stands for the level; every run is kept in the JSON.
    results.push([...these].sort((a, b) => a.samplesPerMinute - b.samplesPerMinute)[(these.length - 1) >> 1]);
    everyRun.push(these);
  }
  return { latencyMs, levels, runs: results, everyRun };
}

function printCase(c: CaseResult, functions: number, files: number, load: number, samples: number, samplesC1: number): void {
  const { latencyMs, runs: results, everyRun } = c;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `\nSVG run throughput, scenario teacher with ${latencyMs} ms per call, sandbox host, threshold 0.5, ${functions} start functions in ${files} files (${cpus().length} cores, load ${load.toFixed(2)})\n`,
  );
  console.log(
    markdownTable(
      ['concurrency', 'samples', 'calls/sample', 'samples/min', 'latency-bound ideal/min', 'of ideal', 'rate bound/min', 'of rate bound', 'steady/min', 'steady of rate bound', 'sample phase s', 'whole run s', 'verified'],
      results.map((r) => [
        r.concurrency,
        r.samples,
        r.callsPerSample,
        r.samplesPerMinute,
        r.waveIdealPerMinute,
        pct(r.waveEfficiency),
        r.idealPerMinute,
        pct(r.efficiency),
        r.steadySamplesPerMinute,
        pct(r.steadyEfficiency),
        r.samplePhaseSec,
        r.wholeRunSec,
        `${r.statuses.verified ?? 0}/${r.samples}`,
      ]),
    ),
  );
  console.log('\nWhere the time goes (ms, p50 / p95):\n');
  const pp = (p: Percentiles) => `${Math.round(p.p50)} / ${Math.round(p.p95)}`;
  console.log(
    markdownTable(
      ['concurrency', 'teacher call (client)', 'sample wall', 'sample teacher', 'sample other', 'between stages', 'rollout tools', 'rollout loop other', 'event-loop delay p99 / max', 'main thread busy', 'spawns/sample', 'blocked in spawn', 'spawn p50 / p95', 'CPU s: engine / host / commands / teacher', 'machine busy: ours / all'],
      results.map((r) => [
        r.concurrency,
        pp(r.clientCallMs),
        pp(r.sampleMs),
        pp(r.sampleTeacherMs),
        pp(r.sampleOtherMs),
        pp(r.sampleBetweenStagesMs),
        pp(r.rolloutToolMs),
        pp(r.rolloutLoopMs),
        `${r.eventLoopDelayMs.p99} / ${r.eventLoopDelayMs.max}`,
        pct(r.mainThread.busyShare),
        r.mainThread.spawnsPerSample,
        `${r.mainThread.spawnBlockedSec} s (${pct(r.mainThread.spawnBlockedShare)})`,
        r.mainThread.perSpawnMs ? `${r.mainThread.perSpawnMs.p50} / ${r.mainThread.perSpawnMs.p95}` : '',
        `${r.cpu.selfSec} / ${r.cpu.hostSec} / ${r.cpu.childrenSec} / ${r.cpu.teacherSec}`,
        `${pct(r.cpu.shareOfMachine)} / ${pct(r.cpu.machineBusy)}`,
      ]),
    ),
  );
  console.log(`\nEach level ran ${everyRun[0]?.length ?? 0} times; the table shows the run with the median rate. All runs, of ideal: ${everyRun.map((rs) => `c${rs[0].concurrency} ${rs.map((r) => pct(r.waveEfficiency)).join(', ')}`).join('; ')}`);
  const at32 = results.find((r) => r.concurrency === 32);
  if (at32 && latencyMs === FAST_LATENCY_MS) {
    console.log(`\nconcurrency 32: ${pct(at32.waveEfficiency)} of the latency-bound ideal: ${at32.waveEfficiency >= TARGET_AT_32 ? 'meets' : 'MISSES'} the ${pct(TARGET_AT_32)} target`);
    console.log(`(${pct(at32.efficiency)} of the rate bound, of which ${at32.samples} samples on 32 workers, ${Math.ceil(at32.samples / 32)} rounds, allow at most ${pct(at32.waveIdealPerMinute / at32.idealPerMinute)}; steady state: ${pct(at32.steadyEfficiency)})`);
  }
  if (c.levels.includes(1) && samplesC1 !== samples) console.log(`concurrency 1 ran ${samplesC1} samples instead of ${samples} (${samples} x calls x ${latencyMs} ms would take several minutes)`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      samples: { type: 'string', default: '200' },
      'samples-c1': { type: 'string', default: '40' },
      concurrency: { type: 'string', default: '1,8,32' },
      latency: { type: 'string', default: `${FAST_LATENCY_MS},${SLOW_LATENCY_MS}` },
      'slow-concurrency': { type: 'string', default: '8,32' },
      'slow-rounds': { type: 'string', default: '2' },
      files: { type: 'string', default: '80' },
      runs: { type: 'string', default: '3' },
      out: { type: 'string', default: RESULTS },
    },
  });
  const samples = Number(values.samples);
  const samplesC1 = Number(values['samples-c1']);
  const latencies = values.latency!.split(',').map(Number);
  const levels = values.concurrency!.split(',').map(Number);
  const slowLevels = values['slow-concurrency']!.split(',').map(Number);
  const slowRounds = Math.max(1, Number(values['slow-rounds']));
  const files = Number(values.files);
  const runs = Math.max(1, Number(values.runs));
  const load = loadavg()[0];
  const spawns = installSpawnMeter();

  // 4 functions per file stays under the planner's default cap of 5 per file, so every function can be a start
  const repo = makeSyntheticRepo({ files, functionsPerFile: 4, language: 'python', functionName: (i, k) => `reproduce_f${i}_${k}`, prefix: 'svg-bench-repo-' });
  const functions = files * 4;
  if (functions < Math.max(samples, ...slowLevels.map((c) => c * slowRounds))) throw new Error(`${functions} start functions are too few for the samples asked; raise --files`);
  const scratch = mkdtempSync(join(tmpdir(), 'svg-bench-'));
  const cases: CaseResult[] = [];
  try {
    for (const latencyMs of latencies) {
      // A slow teacher (seconds per call, as a local 7B-32B model answers) makes every run long:
      // each level runs whole rounds of its workers, and concurrency 1 only when asked for.
      const slow = latencyMs >= 1000;
      const these = slow ? slowLevels : levels;
      const samplesAt = (c: number) => (slow ? c * slowRounds : c === 1 ? samplesC1 : samples);
      cases.push(await runCase(repo.root, scratch, latencyMs, these, samplesAt, runs, spawns));
    }
  } finally {
    await repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }

  for (const c of cases) printCase(c, functions, files, load, samples, samplesC1);
  const out = resolve(values.out!);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify({ measuredAt: new Date().toISOString(), sandbox: 'host', threshold: 0.5, files, functions, cores: cpus().length, loadAverageBefore: load, targetAt32: TARGET_AT_32, runsPerLevel: runs, cases }, null, 2),
  );
  console.log(`\nwrote ${out}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
