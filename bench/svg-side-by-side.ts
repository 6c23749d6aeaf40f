/**
 * bench:svg for two checkouts side by side: this one and a peer (an older commit in a worktree,
 * say), taking turns case by case and run by run, so that whatever else the machine is doing
 * weighs on both alike. Each turn is one whole `bench/svg-throughput.ts --runs 1` process of one
 * checkout for one teacher latency and one concurrency; which checkout goes first alternates.
 *
 *   git worktree add /tmp/before <rev> && ln -s $PWD/node_modules /tmp/before/node_modules
 *   node --import tsx bench/svg-side-by-side.ts --peer /tmp/before [--cases 200:1,200:8,2000:8,2000:32] [--runs 3]
 *
 * Prints a markdown table of the median samples per minute of each and the change, with every
 * run's rate and the load average, and writes bench/results/svg-side-by-side.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { markdownTable } from './lib/table';

const { values } = parseArgs({
  options: {
    peer: { type: 'string' },
    cases: { type: 'string', default: '200:1,200:8,200:32,2000:8,2000:32' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: resolve(__dirname, 'results', 'svg-side-by-side.json') },
  },
});
if (!values.peer) {
  process.stderr.write('Give --peer DIR: another checkout of this repository (with node_modules) to compare with.\n');
  process.exit(2);
}
const checkouts = { ours: resolve(__dirname, '..'), peer: resolve(values.peer) };
const cases = values.cases.split(',').map((c) => {
  const [latency, concurrency] = c.split(':').map(Number);
  return { latency, concurrency };
});
const runs = Number(values.runs);
const scratch = mkdtempSync(join(tmpdir(), 'svg-side-by-side-'));

/** One whole bench process of one checkout for one case; its samples per minute. */
function turn(dir: string, latency: number, concurrency: number): number {
  const out = join(scratch, 'turn.json');
  const slow = latency >= 1000;
  const args = ['--import', 'tsx', 'bench/svg-throughput.ts', '--latency', String(latency), '--runs', '1', '--out', out];
  args.push(slow ? '--slow-concurrency' : '--concurrency', String(concurrency));
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench:svg in ${dir} failed (exit ${r.status})`);
  const written = JSON.parse(readFileSync(out, 'utf8')) as { cases: { latencyMs: number; runs: { concurrency: number; samplesPerMinute: number }[] }[] };
  const run = written.cases.find((c) => c.latencyMs === latency)?.runs.find((x) => x.concurrency === concurrency);
  if (!run) throw new Error(`bench:svg in ${dir} did not measure ${latency} ms at concurrency ${concurrency}`);
  return run.samplesPerMinute;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const results = cases.map((c) => ({ ...c, ours: [] as number[], peer: [] as number[], load: [] as number[] }));
try {
  for (let round = 0; round < runs; round++) {
    for (const [i, c] of results.entries()) {
      const order: ('ours' | 'peer')[] = (round + i) % 2 ? ['peer', 'ours'] : ['ours', 'peer'];
      for (const who of order) {
        c.load.push(loadavg()[0]);
        const rate = turn(checkouts[who], c.latency, c.concurrency);
        c[who].push(rate);
        process.stderr.write(`round ${round + 1}/${runs}, ${c.latency} ms, concurrency ${c.concurrency}, ${who}: ${rate.toFixed(1)} samples/min\n`);
      }
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const rows = results.map((c) => {
  const [ours, peer] = [median(c.ours), median(c.peer)];
  return [
    `${c.latency} ms`,
    String(c.concurrency),
    `${peer.toFixed(1)} (${c.peer.map((x) => x.toFixed(1)).join(', ')})`,
    `${ours.toFixed(1)} (${c.ours.map((x) => x.toFixed(1)).join(', ')})`,
    `${(((ours - peer) / peer) * 100).toFixed(1)}%`,
    `${Math.min(...c.load).toFixed(1)}-${Math.max(...c.load).toFixed(1)}`,
  ];
});
process.stdout.write(`${markdownTable(['teacher latency', 'concurrency', `peer (${checkouts.peer})`, 'ours', 'change', 'load average'], rows)}\n`);
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify({ measuredAt: new Date().toISOString(), checkouts, runs, cases: results }, null, 2)}\n`);
