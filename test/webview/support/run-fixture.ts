/**
 * Realistic run directories for the panel's tests, benchmark and screenshot: a real git repository
 * holding a small project, a run folder inside it, and samples whose patches are real unified
 * diffs of that project, scored by src/core/verify exactly as a run scores them.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { structuredPatch } from 'diff';
import type { RunManifest, SampleRecord, SampleStatus, StageName, VerificationRecord } from '../../../src/core/store';
import type { SampleRow } from '../../../src/protocol';
import { seededRandom } from '../../../src/core/functions/sample';
import { scoreOverlap } from '../../../src/core/verify';
import { CORPUS, FUNCTIONS } from './corpus';

/** The project's own seeded generator (mulberry32), so fixtures are the same on every machine. */
export const mulberry32 = (seed: number) => seededRandom(seed);

export const sampleIdOf = (seed: number, i: number) => createHash('sha1').update(`${seed}:${i}`).digest('hex').slice(0, 12);

type Edit = { at: number; kind: 'insert' | 'modify' | 'delete'; lines: string[]; key: string };

const TWEAKS: [RegExp, string][] = [
  [/ > /, ' >= '],
  [/ <= 0/, ' < 1'],
  [/\.append\(/, '.insert(0, '],
  [/return (.+)$/, 'return ($1)'],
  [/(\w+) \+= (\w+)/, '$1 = $1 + int($2)'],
  [/(\w+) -= (\w+)/, '$1 = max(0, $1 - $2)'],
  [/json\.dumps\((\w+)\)/, 'json.dumps($1, sort_keys=True)'],
  [/time\.time\(\)/, 'time.monotonic()'],
  [/Number\(value\)/, 'Number.parseInt(value ?? "", 10)'],
  [/res\.json\((\w+)\)/, 'res.json($1 ?? null)'],
  [/log\.Printf/, 'log.Println'],
];

function firstArg(line: string): string {
  const m = /\(([^)]*)\)/.exec(line);
  const args = (m?.[1] ?? '').split(',').map((a) => a.trim().split(/[:=\s]/)[0]).filter((a) => a && a !== 'self' && a !== 'ctx');
  return args[0] ?? '';
}

/** The edits a patch could make to one function: guards, logging, tweaks and deletions. */
function candidateEdits(lines: string[], fn: (typeof FUNCTIONS)[number]): Edit[] {
  const start = fn.startLine - 1;
  const end = Math.min(lines.length, fn.endLine);
  const body = lines.slice(start + 1, end).find((l) => l.trim()) ?? '    ';
  const indent = /^\s*/.exec(body)![0];
  const arg = firstArg(lines[start]);
  const edits: Edit[] = [];
  if (!arg) {
    // nothing to guard
  } else if (fn.language === 'python') {
    edits.push({ at: start, kind: 'insert', lines: [`${indent}if ${arg} is None:`, `${indent}    raise ValueError("${arg} is required")`], key: 'guard' });
    edits.push({ at: start + 1, kind: 'insert', lines: [`${indent}logger.debug("${fn.qualifiedName}: %r", ${arg})`], key: 'log' });
  } else if (fn.language === 'typescript') {
    edits.push({ at: start, kind: 'insert', lines: [`${indent}if (${arg} === undefined) throw new Error('${arg} is required');`], key: 'guard' });
  } else {
    edits.push({ at: start, kind: 'insert', lines: [`${indent}if ${arg} == nil {`, `${indent}\treturn`, `${indent}}`], key: 'guard' });
  }
  for (let i = start + 1; i < end; i++) {
    for (const [re, to] of TWEAKS) {
      if (re.test(lines[i])) {
        edits.push({ at: i, kind: 'modify', lines: [lines[i].replace(re, to)], key: `tweak${i}` });
        break;
      }
    }
    if (/^\s+\w+\.\w+\(/.test(lines[i]) && !lines[i].includes('return')) edits.push({ at: i, kind: 'delete', lines: [], key: `del${i}` });
  }
  return edits;
}

function applyEdits(lines: string[], edits: Edit[]): string[] {
  const byLine = new Map<number, Edit[]>();
  for (const e of edits) byLine.set(e.at, [...(byLine.get(e.at) ?? []), e]);
  const out: string[] = [];
  lines.forEach((line, i) => {
    const here = byLine.get(i) ?? [];
    const change = here.find((e) => e.kind !== 'insert');
    if (!change) out.push(line);
    else if (change.kind === 'modify') out.push(...change.lines);
    for (const e of here) if (e.kind === 'insert') out.push(...e.lines);
  });
  return out;
}

/** A git-style unified diff of one file. */
export function gitDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const p = structuredPatch(`a/${file}`, `b/${file}`, before, after, '', '', { context: 3 });
  let text = `diff --git a/${file} b/${file}\nindex 1111111..2222222 100644\n--- a/${file}\n+++ b/${file}\n`;
  for (const h of p.hunks) {
    text += `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n`;
    for (const l of h.lines) text += `${l}\n`;
  }
  return text;
}

function pick<T>(rand: () => number, xs: T[]): T {
  return xs[Math.floor(rand() * xs.length)];
}

function trajectory(task: string, fn: (typeof FUNCTIONS)[number], patch: string, rand: () => number, submitted: boolean) {
  const messages: unknown[] = [
    { role: 'system', content: 'You are a software engineer working in the repository at /testbed. Use the tools to inspect and edit files; call submit when done.' },
    { role: 'user', content: task },
  ];
  const steps: unknown[] = [];
  const file = `/testbed/${fn.file}`;
  const source = CORPUS[fn.file].split('\n').map((l, i) => `${String(i + 1).padStart(6)}\t${l}`).join('\n');
  const turns: [string, string, Record<string, unknown>, string][] = [
    ['Let me look at the function and its callers first.', 'str_replace_editor', { command: 'view', path: file }, `Here's the result of running \`cat -n\` on ${file}:\n${source}`],
    ['I will search for where it is called.', 'bash', { command: `grep -rn "${fn.qualifiedName.split('.').pop()}" /testbed --include=*.* | head -20` }, `${fn.file}:${fn.startLine}:${CORPUS[fn.file].split('\n')[fn.startLine - 1]}`],
    ['The input is not checked before use; I will add the check and adjust the logic.', 'str_replace_editor', { command: 'str_replace', path: file, old_str: CORPUS[fn.file].split('\n')[fn.startLine - 1], new_str: CORPUS[fn.file].split('\n')[fn.startLine - 1] }, `The file ${file} has been edited. Here's the result of running \`cat -n\` on a snippet of ${file}:\n${source.split('\n').slice(fn.startLine - 1, fn.startLine + 6).join('\n')}`],
    ['Let me review the change before submitting.', 'bash', { command: 'cd /testbed && git diff' }, patch],
  ];
  if (submitted) turns.push(['The change is complete.', 'submit', {}, 'Submitted.']);
  turns.forEach(([text, tool, args, output], i) => {
    const id = `call_${i}`;
    messages.push({ role: 'assistant', content: text, tool_calls: [{ id, type: 'function', function: { name: tool, arguments: JSON.stringify(args) } }], ...(i === 0 && rand() < 0.5 ? { reasoning_content: 'The task is vague; start by reading the code around the named function.' } : {}) });
    messages.push({ role: 'tool', tool_call_id: id, content: output });
    const promptTokens = 1200 + i * 900 + Math.floor(rand() * 400);
    steps.push({ step: i + 1, teacherMs: 800 + Math.floor(rand() * 4000), toolMs: 20 + Math.floor(rand() * 300), promptTokens, completionTokens: 60 + Math.floor(rand() * 300), estimatedUsage: false, toolCalls: 1, toolCallSource: 'native' });
  });
  const usage = { promptTokens: steps.reduce((n: number, s) => n + (s as { promptTokens: number }).promptTokens, 0), completionTokens: steps.reduce((n: number, s) => n + (s as { completionTokens: number }).completionTokens, 0) };
  const ms = steps.reduce((n: number, s) => n + (s as { teacherMs: number }).teacherMs + (s as { toolMs: number }).toolMs, 0);
  return { task, model: 'qwen2.5-coder:32b', messages, tools: [], steps, usage, exit: { status: submitted ? 'submitted' : 'step-limit' }, ms };
}

/** P2 scored against P1 by the verify module, as the pipeline records it. */
export function verificationOf(p1: string, p2: string, threshold: number): VerificationRecord {
  const score = scoreOverlap(p1, p2);
  const passed = score.recall !== null && score.recall >= threshold;
  const matchMap = { p1: score.p1.map((x) => x.matchedBy), p2: score.p2.map((x) => x.matches) };
  return { recall: score.recall, precision: score.precision, f1: score.f1, matched: score.matched, p1Lines: score.p1Lines, p2Lines: score.p2Lines, threshold, passed, matchMap };
}

const AREAS = ['input validation', 'error handling', 'resource cleanup', 'concurrency', 'API contract', 'performance'];

export interface BuiltSample {
  record: SampleRecord;
  trajectories: { r1?: unknown; r2?: unknown };
}

/** One sample: a function of the corpus, P1 and P2 as real diffs, scored by the verify module. */
export function buildSample(seed: number, i: number, threshold = 0.5): BuiltSample {
  const rand = mulberry32(seed * 100_003 + i);
  const fn = FUNCTIONS[i % FUNCTIONS.length];
  const id = sampleIdOf(seed, i);
  const base = CORPUS[fn.file];
  const lines = base.split('\n');
  const edits = candidateEdits(lines, fn);
  const shuffled = [...edits].sort(() => rand() - 0.5);
  const p1Edits = shuffled.slice(0, 1 + Math.floor(rand() * Math.min(4, shuffled.length)));
  const keep = [0.15, 0.5, 0.8, 1, 1][Math.floor(rand() * 5)];
  const p2Edits = p1Edits.filter(() => rand() < keep);
  for (const e of shuffled.slice(p1Edits.length)) if (rand() < 0.3) p2Edits.push(e);
  if (!p2Edits.length && rand() < 0.7) p2Edits.push(pick(rand, shuffled));
  const p1 = gitDiff(fn.file, base, applyEdits(lines, p1Edits).join('\n'));
  const p2 = gitDiff(fn.file, base, applyEdits(lines, p2Edits).join('\n'));
  const area = pick(rand, AREAS);
  const task = `There may be a problem with ${area} in \`${fn.qualifiedName}\` in ${fn.file}, or in something it calls or that calls it. Find it and fix it.`;
  const pr = `### ${fn.qualifiedName} misbehaves with unexpected input\n\nWhen \`${fn.qualifiedName}\` (in \`${fn.file}\`) gets a missing or out-of-range value, it carries on and fails later with a confusing error.\n\nSteps to reproduce:\n1. Call \`${fn.qualifiedName}\` with \`None\` for its first argument.\n2. Observe the traceback from deep inside the module instead of a clear message.\n\nExpected: the problem is reported where it happens.`;

  // Failures at each stage, in roughly the proportions a real run shows.
  const roll = rand();
  let failure: { stage: StageName; reason: string } | null = null;
  if (roll < 0.04) failure = { stage: 'rollout1', reason: 'rollout 1 ended without submit (step-limit)' };
  else if (roll < 0.07) failure = { stage: 'pr', reason: 'the PR text gave the change away twice' };
  else if (roll < 0.09) failure = { stage: 'rollout2', reason: 'rollout 2 stopped on a teacher error: the server answered 503 Service Unavailable' };
  else if (roll < 0.1) failure = { stage: 'rollout2', reason: 'empty P2' };
  const hasR2 = !failure || failure.stage === 'rollout2';
  const hasPr = !failure || failure.stage !== 'rollout1' && failure.stage !== 'pr';
  const t1 = trajectory(task, fn, p1, rand, failure?.stage !== 'rollout1');
  const t2 = hasR2 ? trajectory(pr, fn, failure ? '' : p2, rand, !failure) : undefined;
  const verification = failure ? null : verificationOf(p1, p2, threshold);
  const status: SampleStatus = failure ? 'failed' : verification!.passed ? 'verified' : 'below-threshold';
  const rollout = (t: ReturnType<typeof trajectory>, patch: string, r: 1 | 2) => ({ exit: t.exit as { status: 'submitted' }, steps: t.steps.length, usage: t.usage, ms: t.ms, patch, trajectory: `trajectories/${id}.r${r}.json` });
  const r1 = rollout(t1, failure?.stage === 'rollout1' ? '' : p1, 1);
  const r2 = t2 ? rollout(t2, failure ? '' : p2, 2) : null;
  const record: SampleRecord = {
    id,
    runId: 'fixture-run',
    function: { id: `${fn.file}#${fn.qualifiedName}`, file: fn.file, name: fn.qualifiedName.split('.').pop()!, qualifiedName: fn.qualifiedName, language: fn.language as SampleRecord['function']['language'], startLine: fn.startLine, endLine: fn.endLine },
    instance: Math.floor(i / FUNCTIONS.length),
    instruction: { templateId: `${area.replace(/\s+/g, '-')}-1`, area, text: task },
    rollout1: r1,
    syntheticPr: hasPr ? { text: pr, demonstrationId: 'builtin-3', attempts: 1, cleaned: false, usage: { promptTokens: 900, completionTokens: 180 }, ms: 2400 } : null,
    judge: null,
    rollout2: r2,
    verification,
    status,
    failure,
    usage: { promptTokens: t1.usage.promptTokens + (t2?.usage.promptTokens ?? 0) + 900, completionTokens: t1.usage.completionTokens + (t2?.usage.completionTokens ?? 0) + 180 },
    ms: t1.ms + (t2?.ms ?? 0) + 2400,
    finishedAt: new Date(Date.UTC(2026, 10, 24, 17, 30) + i * 41_000).toISOString(),
  };
  return { record, trajectories: { r1: t1, ...(t2 ? { r2: t2 } : {}) } };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Fixture', GIT_AUTHOR_EMAIL: 'f@example.com', GIT_COMMITTER_NAME: 'Fixture', GIT_COMMITTER_EMAIL: 'f@example.com' } });
}

export interface RunFixture {
  root: string;
  repo: string;
  runDir: string;
  baseCommit: string;
  records: SampleRecord[];
  cleanup(): void;
}

export function manifestFor(runId: string, baseCommit: string, samples: number, threshold = 0.5): RunManifest {
  return {
    format: 1,
    runId,
    createdAt: '2026-11-24T17:30:00.000Z',
    tool: { name: 'repo-specializer', version: '0.1.0' },
    repository: { name: 'inventory-service', baseCommit, snapshotOfUncommitted: false },
    settings: {
      threshold, maxSteps: 115, concurrency: 8, samples, seed: '7', sandbox: 'bwrap', judge: false, demonstrations: 'builtin', instructionBank: null,
      include: [], exclude: [], includeUncommitted: false, perFileCap: 5, instancesPerFunction: 1, minFunctionLines: 3, shard: null,
      budgets: { maxTotalTokens: null, maxWallMs: null },
      teacher: { baseUrls: ['http://localhost:8000/v1'], model: 'qwen2.5-coder:32b', temperature: 0.6, maxTokens: null },
    },
  };
}

/**
 * A git repository with the corpus committed and a run folder inside it (REPO/.specializer/runs/ID)
 * holding `samples` finished samples (the first `finished` of `planned`), their trajectories and
 * some decisions.
 */
export function writeRunFixture(o: { samples: number; planned?: number; seed?: number; decided?: number; repo?: boolean; files?: Record<string, string> }): RunFixture {
  const root = mkdtempSync(join(tmpdir(), 'panel-run-'));
  const repo = join(root, 'repo');
  mkdirSync(repo, { recursive: true });
  let baseCommit = '0'.repeat(40);
  if (o.repo !== false) {
    git(repo, 'init', '-q', '-b', 'main');
    for (const [file, text] of Object.entries({ ...CORPUS, ...o.files })) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      writeFileSync(join(repo, file), text);
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    baseCommit = git(repo, 'rev-parse', 'HEAD').trim();
  }
  const seed = o.seed ?? 7;
  const runDir = join(repo, '.specializer', 'runs', 'fixture-run');
  mkdirSync(join(runDir, 'trajectories'), { recursive: true });
  writeFileSync(join(runDir, '.gitignore'), '*\n');
  const planned = o.planned ?? o.samples;
  writeFileSync(join(runDir, 'run.json'), JSON.stringify(manifestFor('fixture-run', baseCommit, planned), null, 2));
  const records: SampleRecord[] = [];
  const plan: string[] = [];
  const samples: string[] = [];
  for (let i = 0; i < planned; i++) {
    const id = sampleIdOf(seed, i);
    const fn = FUNCTIONS[i % FUNCTIONS.length];
    plan.push(JSON.stringify({ id, function: { id: `${fn.file}#${fn.qualifiedName}`, file: fn.file, name: fn.qualifiedName, qualifiedName: fn.qualifiedName, language: fn.language, startLine: fn.startLine, endLine: fn.endLine }, instance: 0, instruction: { templateId: 't', area: 'a', text: 'x' }, demonstrationId: 'd' }));
    if (i >= o.samples) continue;
    const built = buildSample(seed, i);
    records.push(built.record);
    samples.push(JSON.stringify(built.record));
    if (built.trajectories.r1) writeFileSync(join(runDir, 'trajectories', `${id}.r1.json`), JSON.stringify(built.trajectories.r1));
    if (built.trajectories.r2) writeFileSync(join(runDir, 'trajectories', `${id}.r2.json`), JSON.stringify(built.trajectories.r2));
  }
  writeFileSync(join(runDir, 'plan.jsonl'), plan.map((l) => `${l}\n`).join(''));
  writeFileSync(join(runDir, 'samples.jsonl'), samples.map((l) => `${l}\n`).join(''));
  const decided = Math.floor((o.decided ?? 0) * records.length);
  const decisions = records.slice(0, decided).map((r, i) => JSON.stringify({ sampleId: r.id, decision: i % 3 === 2 ? 'rejected' : 'accepted', ...(i % 5 === 0 ? { note: 'Clean fix; the guard matches the PR.' } : {}), at: '2026-11-24T18:00:00.000Z' }));
  if (decisions.length) writeFileSync(join(runDir, 'decisions.jsonl'), decisions.map((l) => `${l}\n`).join(''));
  return { root, repo, runDir, baseCommit, records, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Appends one more finished sample to a fixture run, as a running generation would. */
export function appendSample(runDir: string, seed: number, i: number): SampleRecord {
  return appendBuilt(runDir, buildSample(seed, i));
}

/** Appends a built sample (its record and the trajectories its rollouts name). */
export function appendBuilt(runDir: string, built: BuiltSample): SampleRecord {
  const { record, trajectories } = built;
  if (trajectories.r1 && record.rollout1) writeFileSync(join(runDir, record.rollout1.trajectory), JSON.stringify(trajectories.r1));
  if (trajectories.r2 && record.rollout2) writeFileSync(join(runDir, record.rollout2.trajectory), JSON.stringify(trajectories.r2));
  writeFileSync(join(runDir, 'samples.jsonl'), `${JSON.stringify(record)}\n`, { flag: 'a' });
  return record;
}

/**
 * A sample whose patches are each about `lines` lines long (many hunks over a large generated
 * file), for the "open a big sample" benchmark.
 */
export function bigSample(lines = 500, seed = 3): SampleRecord {
  const rand = mulberry32(seed);
  const fileLines: string[] = ['import logging', '', 'logger = logging.getLogger(__name__)', ''];
  for (let f = 0; fileLines.length < lines * 4; f++) {
    fileLines.push(`def handler_${f}(request, limit=10):`, `    items = request.get("items", [])`, `    if len(items) > limit:`, `        items = items[:limit]`, `    total = sum(item["price"] * item["qty"] for item in items)`, `    logger.info("handled %d items", len(items))`, `    return {"total": total, "count": len(items)}`, '');
  }
  const base = fileLines.join('\n');
  // P1 edits a share of the handlers; P2 reproduces most of those edits, misses some, adds others.
  const noise = fileLines.map(() => rand());
  const edit = (share: number, second: boolean) =>
    fileLines
      .map((l, i) => {
        const chosen = noise[i] < share;
        if (second && chosen && i % 5 === 0) return l; // missed by P2
        if (i % 8 === 6 && chosen) return l.replace('> limit', '>= limit');
        if (i % 8 === 0 && chosen) return l.replace('sum(', 'math.fsum(');
        if (second && i % 8 === 7 && noise[i] < share / 3) return l.replace('handled %d', 'handled %s');
        return l;
      })
      .join('\n');
  let p1 = '';
  let p2 = '';
  // Grow the edit density until each patch is about `lines` long.
  for (let share = 0.05; share <= 1.0001 && p1.split('\n').length < lines; share += 0.02) {
    p1 = gitDiff('service/handlers.py', base, edit(share, false));
    p2 = gitDiff('service/handlers.py', base, edit(share, true));
  }
  const built = buildSample(seed, 0);
  return {
    ...built.record,
    id: 'big000000001',
    rollout1: { ...built.record.rollout1!, patch: p1 },
    rollout2: { ...(built.record.rollout2 ?? built.record.rollout1!), patch: p2 },
    status: 'verified',
    failure: null,
    verification: verificationOf(p1, p2, 0.5),
  };
}

/** Many list rows quickly (no patches behind them), for tests and benchmarks of the list alone. */
export function syntheticRows(n: number, seed = 1): SampleRow[] {
  const rand = mulberry32(seed);
  const rows: SampleRow[] = new Array(n);
  const statuses: SampleStatus[] = ['verified', 'below-threshold', 'failed'];
  for (let i = 0; i < n; i++) {
    const fn = FUNCTIONS[i % FUNCTIONS.length];
    const pkg = `pkg${Math.floor(i / FUNCTIONS.length) % 97}`;
    const failed = rand() < 0.08;
    const recall = failed ? null : Math.round(rand() * 100) / 100;
    const precision = failed ? null : Math.round(rand() * 100) / 100;
    const status: SampleStatus = failed ? 'failed' : recall! >= 0.5 ? 'verified' : 'below-threshold';
    const f1 = recall === null || precision === null || recall + precision === 0 ? (failed ? null : 0) : Math.round(((2 * recall * precision) / (recall + precision)) * 100) / 100;
    const d = rand();
    const file = fn.file.replace('inventory/', `${pkg}/`);
    rows[i] = {
      id: sampleIdOf(seed, i),
      fid: `${file}#${fn.qualifiedName}`,
      fn: fn.qualifiedName,
      file,
      lang: fn.language,
      recall,
      precision,
      f1,
      status: statuses.includes(status) ? status : 'failed',
      decision: d < 0.15 ? 'accepted' : d < 0.22 ? 'rejected' : 'undecided',
      tokens: 8000 + Math.floor(rand() * 90_000),
      ms: 20_000 + Math.floor(rand() * 400_000),
      lines: failed ? 0 : 1 + Math.floor(rand() * 40),
      ...(failed ? { stage: rand() < 0.5 ? 'rollout1' : 'rollout2' } : {}),
    };
  }
  return rows;
}
