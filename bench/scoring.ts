/**
 * Scoring throughput: 10,000 patch pairs built from real code, scored by src/core/verify against a
 * naive reference implementation (the prefix-check approach of the reference pipeline), in one run.
 *
 * P1s are real `git diff` output: a few hundred files of the Python standard library are committed
 * to a temp git repository, edited in rounds (lines changed, inserted, deleted; files added,
 * deleted, renamed), and each round's diff is cut into per-file sections. A P1 joins 1-4 sections
 * of one round; its P2 is a perturbed copy (hunks dropped, lines altered, files reordered, an extra
 * section added, or an unrelated patch).
 *
 * Throughput counts changed lines of both patches (as src/core/verify counts them) per second,
 * parsing included, median of several runs.
 *
 *   npm run bench:scoring [-- --pairs N --runs R --files F --seed S]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePatch } from 'diff';
import { scoreOverlap } from '../src/core/verify';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const PAIRS = Number(args.get('pairs') ?? 10_000);
const RUNS = Number(args.get('runs') ?? 7);
const FILES = Number(args.get('files') ?? 300);
const SEED = Number(args.get('seed') ?? 42);

// ---------- deterministic randomness ----------
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
const chance = (p: number) => rand() < p;

// ---------- the corpus: Python stdlib files in a temp git repository ----------
function git(cwd: string, ...argv: string[]): string {
  return execFileSync('git', argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
}

function stdlibFiles(): { root: string; files: string[] } {
  const root = execFileSync('python3', ['-c', "import sysconfig;print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!['site-packages', '__pycache__', 'test', 'tests', 'idlelib', 'lib2to3'].includes(e.name)) walk(p);
      } else if (e.name.endsWith('.py')) {
        const size = fs.statSync(p).size;
        if (size > 2_000 && size < 80_000) found.push(p);
      }
    }
  };
  walk(root);
  return { root, files: found };
}

function buildRepo(dir: string): string[] {
  const { root, files: all } = stdlibFiles();
  const chosen = new Set<string>();
  while (chosen.size < Math.min(FILES, all.length)) chosen.add(pick(all));
  const names: string[] = [];
  for (const src of chosen) {
    const name = path.relative(root, src);
    fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
    fs.copyFileSync(src, path.join(dir, name));
    names.push(name);
  }
  git(dir, 'init', '-q');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'user.name', 'bench');
  git(dir, 'config', 'core.autocrlf', 'false');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  return names.sort();
}

// ---------- edits ----------
function alterLine(line: string): string {
  const r = rand();
  if (r < 0.3) return line.replace(/[A-Za-z_][A-Za-z0-9_]*/, (w) => `${w}_checked`);
  if (r < 0.5) return `${line}  # reviewed`;
  if (r < 0.65) return line.replace(/^(\s*)/, '$1    ');
  if (r < 0.8) return line.replace(/\b(\d+)\b/, (d) => String(Number(d) + 1)).replace(/==/, '!=') + (chance(0.5) ? '' : ' ');
  return line.replace(/\breturn\b/, 'return None if value is None else');
}

const INSERTS = [
  ['if value is None:', '    raise ValueError("value must not be None")'],
  ['# guard against a stale cache entry', 'cache.pop(key, None)'],
  ['try:', '    handle.close()', 'except OSError:', '    pass'],
  ['logger.debug("entering %s", name)'],
  ['--------', 'Notes'],
  ['assert isinstance(size, int), size'],
];

function editFile(text: string): string {
  const lines = text.split('\n');
  const hunks = int(1, 3);
  const starts = new Set<number>();
  for (let h = 0; h < hunks; h++) starts.add(int(0, Math.max(0, lines.length - 10)));
  // Apply from the bottom up so earlier positions stay valid.
  for (const at of [...starts].sort((a, b) => b - a)) {
    const kind = rand();
    if (kind < 0.45) {
      const n = int(1, 4);
      for (let k = at; k < Math.min(lines.length, at + n); k++) if (lines[k].trim()) lines[k] = alterLine(lines[k]);
    } else if (kind < 0.8) {
      const indent = /^\s*/.exec(lines[at] ?? '')![0];
      const block = chance(0.7) ? pick(INSERTS) : lines.slice(Math.max(0, at - int(2, 6)), at).map(alterLine);
      lines.splice(at, 0, ...block.map((l) => indent + l));
    } else {
      lines.splice(at, int(1, 4));
    }
  }
  return lines.join('\n');
}

/** One round: edit a random subset of files, add some, delete some, rename some; return per-file diff sections. */
function round(dir: string, names: string[], roundNo: number): string[] {
  for (const name of names) {
    const p = path.join(dir, name);
    const r = rand();
    if (r < 0.6) fs.writeFileSync(p, editFile(fs.readFileSync(p, 'utf8')));
    else if (r < 0.63) fs.rmSync(p);
    else if (r < 0.66) {
      const to = name.replace(/\.py$/, `_r${roundNo}.py`);
      const text = fs.readFileSync(p, 'utf8');
      fs.rmSync(p);
      fs.writeFileSync(path.join(dir, to), chance(0.5) ? editFile(text) : text);
    } else if (r < 0.68) {
      const text = fs.readFileSync(p, 'utf8').split('\n');
      const start = int(0, Math.max(0, text.length - 40));
      fs.writeFileSync(path.join(dir, name.replace(/\.py$/, `_new${roundNo}.py`)), text.slice(start, start + int(5, 40)).join('\n') + '\n');
    }
  }
  git(dir, 'add', '-A');
  const diff = git(dir, 'diff', '--cached', '-M', '--no-color', '--no-ext-diff');
  git(dir, 'reset', '-q', '--hard');
  git(dir, 'clean', '-qfd');
  return diff.split(/^(?=diff --git )/m).filter((s) => s.startsWith('diff --git '));
}

// ---------- perturbing P1 into P2 ----------
function splitHunks(section: string): { head: string; hunks: string[] } {
  const parts = section.split(/^(?=@@ )/m);
  return { head: parts[0], hunks: parts.slice(1) };
}

function alterHunk(hunk: string, p: number): string {
  const lines = hunk.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const c = lines[i][0];
    if ((c === '+' || c === '-') && lines[i].slice(1).trim() && chance(p)) lines[i] = c + alterLine(lines[i].slice(1));
  }
  return lines.join('\n');
}

function perturb(p1Sections: string[], otherSections: string[]): string {
  const scenario = rand();
  if (scenario < 0.05) return otherSections.join(''); // an unrelated patch
  const dropP = scenario < 0.25 ? 0 : rand() * 0.5;
  const alterP = rand() * 0.3;
  const out: string[] = [];
  for (const section of p1Sections) {
    const { head, hunks } = splitHunks(section);
    if (!hunks.length) {
      if (!chance(dropP)) out.push(section);
      continue;
    }
    const kept = hunks.filter(() => !chance(dropP)).map((h) => alterHunk(h, alterP));
    if (kept.length) out.push(head + kept.join(''));
  }
  if (chance(0.3) && otherSections.length) out.push(pick(otherSections));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out.join('');
}

// ---------- the naive reference: prefix checks, indexOf/splice ----------
function naiveChangedLines(patch: string): string[] {
  const out: string[] = [];
  for (const line of patch.split('\n')) {
    if (line.startsWith('---') || line.startsWith('+++')) continue;
    if ((line.startsWith('+') || line.startsWith('-')) && line.slice(1).trim()) out.push(line);
  }
  return out;
}

function naiveRecall(p1: string, p2: string): { recall: number | null; matched: number; p1Lines: number } {
  const a = naiveChangedLines(p1);
  const pool = [...a];
  let matched = 0;
  for (const line of naiveChangedLines(p2)) {
    const i = pool.indexOf(line);
    if (i !== -1) {
      pool.splice(i, 1);
      matched++;
    }
  }
  return { recall: a.length ? matched / a.length : null, matched, p1Lines: a.length };
}

// ---------- measuring ----------
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function time(fn: () => number): { ms: number; sink: number } {
  const t0 = process.hrtime.bigint();
  const sink = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, sink };
}

type Pair = { p1: string; p2: string };

const IMPLS: Record<string, (pairs: Pair[]) => number> = {
  'verify: scoreOverlap (parsePatch + changedLines + match)': (pairs) => {
    let s = 0;
    for (const { p1, p2 } of pairs) s += scoreOverlap(p1, p2).matched;
    return s;
  },
  'parsePatch alone (no scoring)': (pairs) => {
    let s = 0;
    for (const { p1, p2 } of pairs) s += parsePatch(p1).length + parsePatch(p2).length;
    return s;
  },
  'naive reference (prefix checks, indexOf/splice)': (pairs) => {
    let s = 0;
    for (const { p1, p2 } of pairs) s += naiveRecall(p1, p2).matched;
    return s;
  },
};

/** Median time of each implementation over one set of pairs; the implementations take turns within a run. */
function measure(pairs: Pair[], lines: number, bytes: number) {
  const samples = new Map<string, number[]>();
  for (const fn of Object.values(IMPLS)) fn(pairs); // warm-up
  for (let run = 0; run < RUNS; run++) {
    for (const [name, fn] of Object.entries(IMPLS)) {
      const { ms } = time(() => fn(pairs));
      samples.set(name, [...(samples.get(name) ?? []), ms]);
    }
  }
  return [...samples].map(([name, ms]) => {
    const med = median(ms);
    return { name, medianMs: +med.toFixed(1), minMs: +Math.min(...ms).toFixed(1), maxMs: +Math.max(...ms).toFixed(1), linesPerSec: Math.round(lines / (med / 1000)), mbPerSec: +(bytes / 1e6 / (med / 1000)).toFixed(1) };
  });
}

function main() {
  // Other work on the machine moves these numbers; the load average before we start says how busy it was.
  const load = os.loadavg()[0].toFixed(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scoring-bench-'));
  try {
    const tBuild = Date.now();
    const names = buildRepo(dir);
    const rounds: string[][] = [];
    let sections = 0;
    while (sections < PAIRS * 2.6) {
      const r = round(dir, names, rounds.length);
      rounds.push(r);
      sections += r.length;
    }
    const pairs: Pair[] = [];
    for (let k = 0; k < PAIRS; k++) {
      const ri = k % rounds.length;
      const secs = rounds[ri];
      const start = int(0, secs.length - 1);
      const p1Sections = secs.slice(start, start + int(1, 3));
      const other = rounds[(ri + 1 + int(0, rounds.length - 2)) % rounds.length];
      const o = int(0, other.length - 1);
      pairs.push({ p1: p1Sections.join(''), p2: perturb(p1Sections, other.slice(o, o + int(1, 2))) });
    }
    const buildMs = Date.now() - tBuild;

    let naiveDisagree = 0;
    let p1Empty = 0;
    const recalls: number[] = [];
    const all = { pairs: [] as Pair[], lines: 0, bytes: 0 };
    const small = { pairs: [] as Pair[], lines: 0, bytes: 0 };
    const p1Sizes: number[] = [];
    for (const pair of pairs) {
      const { p1, p2 } = pair;
      const score = scoreOverlap(p1, p2);
      for (const set of score.p1Lines <= 40 ? [all, small] : [all]) {
        set.pairs.push(pair);
        set.lines += score.p1Lines + score.p2Lines;
        set.bytes += p1.length + p2.length;
      }
      p1Sizes.push(score.p1Lines);
      if (score.recall === null) p1Empty++;
      else recalls.push(score.recall);
      const naive = naiveRecall(p1, p2);
      if (naive.recall !== score.recall || naive.p1Lines !== score.p1Lines) naiveDisagree++;
    }

    const rowsAll = measure(all.pairs, all.lines, all.bytes);
    const rowsSmall = measure(small.pairs, small.lines, small.bytes);
    const ours = rowsAll[0].linesPerSec;
    const naive = rowsAll[rowsAll.length - 1].linesPerSec;
    const meanRecall = recalls.reduce((a, b) => a + b, 0) / recalls.length;
    const cpu = os.cpus()[0]?.model ?? 'unknown';
    const fmt = (n: number) => n.toLocaleString('en');

    console.log(`\n## Scoring throughput: ${fmt(PAIRS)} patch pairs from real git diffs, median of ${RUNS} runs\n`);
    console.log(`Corpus: ${names.length} Python stdlib files, ${rounds.length} edit rounds (built in ${(buildMs / 1000).toFixed(1)} s); ${fmt(all.lines)} changed lines in ${(all.bytes / 1e6).toFixed(1)} MB of patch text; changed lines per P1: median ${median(p1Sizes)}, max ${Math.max(...p1Sizes)}; mean recall ${meanRecall.toFixed(3)}; ${p1Empty} pairs with an empty P1 (no score). ${cpu}, ${os.cpus().length} cores (load average ${load} before the run), Node ${process.version}.\n`);
    console.log(`| implementation | all ${fmt(all.pairs.length)} pairs: ms | changed lines/s | ${fmt(small.pairs.length)} pairs with P1 <= 40 lines: ms | changed lines/s |`);
    console.log('|---|---:|---:|---:|---:|');
    rowsAll.forEach((r, k) => console.log(`| ${r.name} | ${r.medianMs} | ${fmt(r.linesPerSec)} | ${rowsSmall[k].medianMs} | ${fmt(rowsSmall[k].linesPerSec)} |`));
    console.log(`\nAll pairs: ${(ours / naive).toFixed(2)}x the naive reference; P1 <= 40 lines: ${(rowsSmall[0].linesPerSec / rowsSmall[rowsSmall.length - 1].linesPerSec).toFixed(2)}x. Target 1,000,000 changed lines/s: ${ours >= 1e6 ? 'met' : 'NOT met'}.`);
    console.log(`The naive reference gives a different recall on ${naiveDisagree} pairs (it drops changed lines whose text starts with "--" or "++" as if they were file headers).\n`);

    const out = path.join(__dirname, 'results', 'scoring.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const result = {
      date: new Date().toISOString(),
      machine: { cpu, cores: os.cpus().length, loadAverage1m: +load, node: process.version },
      settings: { pairs: PAIRS, runs: RUNS, files: names.length, seed: SEED, rounds: rounds.length },
      corpus: { changedLines: all.lines, bytes: all.bytes, medianP1Lines: median(p1Sizes), maxP1Lines: Math.max(...p1Sizes), meanRecall: +meanRecall.toFixed(4), emptyP1: p1Empty, smallPairs: small.pairs.length, smallChangedLines: small.lines },
      correctness: { naiveDisagreements: naiveDisagree },
      allPairs: rowsAll,
      pairsWithP1AtMost40Lines: rowsSmall,
      speedupOverNaive: +(ours / naive).toFixed(2),
      targetLinesPerSec: 1_000_000,
      targetMet: ours >= 1e6,
    };
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
    console.log(`Saved ${path.relative(process.cwd(), out)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
