/**
 * Writes run directories as `specialize generate` leaves them (docs/RUN_FORMAT.md): run.json,
 * plan.jsonl, samples.jsonl, decisions.jsonl and trajectories/<id>.r1.json / .r2.json, with
 * trajectories that look like the agent's: the real system prompt and task framing, assistant
 * turns with a thought and tool calls, file views and command outputs, failed edits and their
 * recovery, optional reasoning, the review-on-submit round and the final submit.
 *
 *   const run = writeRun(dir, { samples: [{ recall: 0.8 }, { recall: 0.2, decision: 'accepted' }] });
 *   const big = writeRun(dir, { samples: realisticSamples(20_000) });
 *
 * Everything is deterministic: the same spec writes the same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reviewMessage, systemPrompt, taskMessage } from '../../src/core/agent/prompts';
import { agentTools } from '../../src/core/agent/tool-specs';
import type { ExitStatus, Trajectory } from '../../src/core/agent/types';
import type { LanguageId } from '../../src/core/functions/types';
import type { DecisionRecord, PlannedSample, RunManifest, SampleRecord, SampleStatus } from '../../src/core/store/records';
import type { ChatMessage, ToolCall } from '../../src/core/teacher/types';

export interface TrajectorySpec {
  /** Tool-using turns before the submit round (default 6). */
  steps?: number;
  /** About how long each file view or command output is (default 1500 characters). */
  toolOutputChars?: number;
  /** Give assistant turns `reasoning_content` (default true on every other turn). */
  reasoning?: boolean;
  /** A str_replace that fails and is retried (default true). */
  failure?: boolean;
  /** One turn that makes two calls at once. */
  parallelCalls?: boolean;
  /** A call whose arguments are not valid JSON (as weak teachers write now and then). */
  malformedCall?: boolean;
  /** How the rollout ended (default submitted; anything else stops before the submit round). */
  exit?: ExitStatus;
  /** Lines appended to the first command output (a grep), e.g. planted secrets. */
  plant?: string[];
  /** Text put into an edit's new_str (tool call arguments). */
  plantInArguments?: string;
}

export interface SampleSpec {
  id?: string;
  file?: string;
  qualifiedName?: string;
  language?: LanguageId;
  instance?: number;
  /** null: unscored (P1 without changed lines). Default 1. */
  recall?: number | null;
  status?: SampleStatus;
  t1?: TrajectorySpec | null;
  t2?: TrajectorySpec | null;
  /** Changed lines of each patch (default 4 and the same patch for both). */
  patchLines?: number;
  patch1?: string;
  patch2?: string;
  decision?: DecisionRecord['decision'];
  /** Leave a trajectory file out, as a run killed at the wrong moment might. */
  missingTrajectory?: 't1' | 't2';
}

/** A real source file standing in for the repository's, so views and greps show real code. */
export interface CorpusFile {
  /** Repository-relative path. */
  path: string;
  lines: string[];
}

export interface RunSpec {
  /** Real files the trajectories read (views and greps); without it, lines come from a small built-in bank. */
  corpus?: CorpusFile[];
  runId?: string;
  repository?: string;
  baseCommit?: string;
  model?: string;
  threshold?: number;
  /** The run's --max-p1-lines; absent, as in runs made before the limit. */
  maxP1Lines?: number;
  seed?: string;
  samples: SampleSpec[];
}

export interface WrittenRun {
  dir: string;
  ids: string[];
  manifest: RunManifest;
}

export function makeTempDir(prefix = 'rs-run-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function writeRun(dir: string, spec: RunSpec): WrittenRun {
  mkdirSync(join(dir, 'trajectories'), { recursive: true });
  writeFileSync(join(dir, '.gitignore'), '*\n');
  const runId = spec.runId ?? '2026-11-24_17-30-00';
  const seed = spec.seed ?? '0';
  const threshold = spec.threshold ?? 0.5;
  const model = spec.model ?? 'qwen2.5-coder:32b';
  const manifest: RunManifest = {
    format: 1,
    runId,
    createdAt: '2026-11-24T17:30:00.000Z',
    tool: { name: 'repo-specializer', version: '0.1.0' },
    repository: { name: spec.repository ?? 'shopkeeper', baseCommit: spec.baseCommit ?? '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39', snapshotOfUncommitted: false },
    settings: {
      threshold,
      maxSteps: 115,
      concurrency: 8,
      samples: spec.samples.length,
      seed,
      sandbox: 'bwrap',
      judge: false,
      demonstrations: 'builtin',
      instructionBank: null,
      include: [],
      exclude: [],
      includeUncommitted: false,
      perFileCap: 5,
      instancesPerFunction: 1,
      minFunctionLines: 3,
      shard: null,
      ...(spec.maxP1Lines === undefined ? {} : { maxP1Lines: spec.maxP1Lines }),
      budgets: { maxTotalTokens: null, maxWallMs: null },
      teacher: { baseUrls: ['http://localhost:11434/v1'], model, temperature: 0.6, maxTokens: null },
    },
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(manifest, null, 2) + '\n');

  const plan: string[] = [];
  const samples: string[] = [];
  const decisions: string[] = [];
  const ids: string[] = [];
  spec.samples.forEach((s, i) => {
    const rand = rng(`${seed}:${i}`);
    const corpusFile = spec.corpus?.length ? pick(rand, spec.corpus) : undefined;
    const language = s.language ?? (corpusFile ? 'typescript' : 'python');
    const file = s.file ?? corpusFile?.path ?? `shopkeeper/${pick(rand, MODULES)}/${pick(rand, FILES)}.py`;
    const qualifiedName = s.qualifiedName ?? `${pick(rand, CLASSES)}.${pick(rand, VERBS)}_${pick(rand, NOUNS)}`;
    const startLine = 10 + Math.floor(rand() * 400);
    const instance = s.instance ?? 0;
    const fnId = `${file}:${qualifiedName}:${startLine}`;
    const id = s.id ?? createHash('sha1').update(`${seed}\0${fnId}\0${instance}\0${i}`).digest('hex').slice(0, 12);
    ids.push(id);
    const fn = { id: fnId, file, name: qualifiedName.split('.').pop()!, qualifiedName, language, startLine, endLine: startLine + 20 };
    const area = pick(rand, AREAS);
    const instruction = { templateId: `bank-${area}`, area, text: `There may be a problem with ${area} in \`${qualifiedName}\` in ${file}, or in something it calls or that calls it. Find it and fix it.` };
    const planned: PlannedSample = { id, function: fn, instance, instruction, demonstrationId: 'builtin-3' };
    plan.push(JSON.stringify(planned));

    const patch1 = s.patch1 ?? makePatch(file, s.patchLines ?? 4, rand);
    const patch2 = s.patch2 ?? patch1;
    const prText = `### ${area[0].toUpperCase() + area.slice(1)} problem in ${qualifiedName}\n\nWhen ${fn.name} is called with an empty order the call fails with a KeyError instead of returning an empty result.\n\nSteps to reproduce:\n1. Create an order with no lines.\n2. Call \`${qualifiedName}\`.\n\nExpected: an empty result. Actual: \`KeyError: 'total'\`.`;
    const rollout = (which: 1 | 2, t: TrajectorySpec | null | undefined, patch: string) => {
      if (t === null) return null;
      const relative = `trajectories/${id}.r${which}.json`;
      const trajectory = makeTrajectory(which === 1 ? instruction.text : prText, file, patch, t ?? {}, model, rng(`${seed}:${i}:${which}`), corpusSource(spec.corpus, corpusFile));
      if (s.missingTrajectory !== (which === 1 ? 't1' : 't2')) writeFileSync(join(dir, relative), JSON.stringify(trajectory));
      return {
        exit: trajectory.exit!,
        steps: trajectory.steps.length,
        usage: trajectory.usage,
        ms: trajectory.ms,
        patch,
        trajectory: relative,
      };
    };
    const r1 = rollout(1, s.t1, patch1);
    const r2 = rollout(2, s.t2, patch2);
    const recall = s.recall === undefined ? 1 : s.recall;
    const status: SampleStatus = s.status ?? (r2 === null ? 'failed' : recall !== null && recall >= threshold ? 'verified' : 'below-threshold');
    const verification =
      status === 'failed'
        ? null
        : { recall, precision: recall, f1: recall, matched: 0, p1Lines: s.patchLines ?? 4, p2Lines: s.patchLines ?? 4, threshold, passed: recall !== null && recall >= threshold, matchMap: { p1: [], p2: [] } };
    const record: SampleRecord = {
      id,
      runId,
      function: fn,
      instance,
      instruction,
      rollout1: r1,
      syntheticPr: r1 ? { text: prText, demonstrationId: 'builtin-3', attempts: 1, cleaned: false, usage: { promptTokens: 900, completionTokens: 200 }, ms: 4000 } : null,
      judge: null,
      rollout2: r2,
      verification,
      status,
      failure: status === 'failed' ? { stage: r1 ? 'rollout2' : 'rollout1', reason: 'teacher error: 503 Service Unavailable' } : null,
      usage: { promptTokens: 50_000, completionTokens: 3_000 },
      ms: 90_000,
      finishedAt: '2026-11-24T18:00:00.000Z',
    };
    samples.push(JSON.stringify(record));
    if (s.decision) decisions.push(JSON.stringify({ sampleId: id, decision: s.decision, at: '2026-11-25T09:00:00.000Z' }));
  });
  writeFileSync(join(dir, 'plan.jsonl'), plan.map((l) => l + '\n').join(''));
  writeFileSync(join(dir, 'samples.jsonl'), samples.map((l) => l + '\n').join(''));
  writeFileSync(join(dir, 'decisions.jsonl'), decisions.map((l) => l + '\n').join(''));
  writeFileSync(join(dir, 'events.jsonl'), '');
  return { dir, ids, manifest };
}

/** Samples of the size real runs have: 12-18 tool turns, outputs of 1-4 KB, reasoning, a failure, some larger patches. */
export function realisticSamples(count: number, seed = 'bench'): SampleSpec[] {
  const out: SampleSpec[] = [];
  for (let i = 0; i < count; i++) {
    const rand = rng(`${seed}:${i}`);
    const traj = (): TrajectorySpec => ({ steps: 12 + Math.floor(rand() * 7), toolOutputChars: 1000 + Math.floor(rand() * 3000), reasoning: rand() < 0.5, failure: rand() < 0.4, parallelCalls: rand() < 0.2 });
    out.push({ recall: Math.round(rand() * 100) / 100, patchLines: 2 + Math.floor(rand() * 30), t1: traj(), t2: traj(), decision: rand() < 0.05 ? 'accepted' : rand() < 0.05 ? 'rejected' : undefined });
  }
  return out;
}

/** Where a trajectory's file views and grep lines come from. */
export interface LineSource {
  view(rand: () => number, first: number, size: number): string;
  grep(rand: () => number, size: number): string;
}

const BANK_SOURCE: LineSource = { view: fileView, grep: grepOutput };

function corpusSource(corpus: CorpusFile[] | undefined, own: CorpusFile | undefined): LineSource {
  if (!corpus?.length || !own) return BANK_SOURCE;
  return {
    // The start function's own file, read in windows as an agent pages through it.
    view(_rand, first, size) {
      const start = Math.min(Math.max(0, own.lines.length - 5), first % Math.max(1, own.lines.length));
      const out: string[] = [];
      let n = 0;
      for (let i = start; i < own.lines.length && n < size; i++) {
        const l = `${String(i + 1).padStart(6)}\t${own.lines[i]}`;
        out.push(l);
        n += l.length + 1;
      }
      return out.join('\n');
    },
    grep(rand, size) {
      const out: string[] = [];
      let n = 0;
      while (n < size) {
        const f = pick(rand, corpus);
        if (!f.lines.length) continue;
        const at = Math.floor(rand() * f.lines.length);
        const l = `/testbed/${f.path}:${at + 1}:${f.lines[at]}`;
        out.push(l);
        n += l.length + 1;
      }
      return out.join('\n');
    },
  };
}

export function makeTrajectory(task: string, file: string, patch: string, spec: TrajectorySpec, model: string, rand: () => number, source: LineSource = BANK_SOURCE): Trajectory {
  const tools = agentTools(true);
  const messages: ChatMessage[] = [
    { role: 'system', content: systemPrompt(true) },
    { role: 'user', content: taskMessage(task) },
  ];
  const size = spec.toolOutputChars ?? 1500;
  const path = `/testbed/${file}`;
  let callNo = 0;
  const call = (name: string, args: unknown, raw?: string): ToolCall => ({ id: `call_${(callNo++).toString(36).padStart(4, '0')}`, type: 'function', function: { name, arguments: raw ?? JSON.stringify(args) } });
  const think = (i: number) => (spec.reasoning ?? true) && i % 2 === 0;
  const turn = (i: number, text: string, calls: ToolCall[], outputs: string[]) => {
    const m: ChatMessage = { role: 'assistant', content: text, tool_calls: calls };
    if (think(i)) m.reasoning_content = `The task points at ${file}. ${pick(rand, THOUGHTS)} I should check how the callers use the result before changing it.`;
    messages.push(m);
    calls.forEach((c, j) => messages.push({ role: 'tool', tool_call_id: c.id, content: outputs[j] }));
  };
  const steps = spec.steps ?? 6;
  for (let i = 0; i < steps; i++) {
    const kind = i === 0 ? 'grep' : i === 1 ? 'view' : i === steps - 1 ? 'edit' : pick(rand, ['view', 'grep', 'run', 'view']);
    if (kind === 'grep') {
      const c = call('bash', { command: `grep -rn "${pick(rand, NOUNS)}" /testbed/shopkeeper | head -40` });
      const planted = spec.plant?.length ? `\n${spec.plant.join('\n')}` : '';
      turn(i, `Let me find where ${pick(rand, NOUNS)} is handled.`, [c], [source.grep(rand, size) + planted]);
    } else if (kind === 'view') {
      const first = 1 + Math.floor(rand() * 200);
      const c = call('str_replace_editor', { command: 'view', path, view_range: [first, first + Math.round(size / 45)] });
      turn(i, 'Reading the function and its neighbours.', [c], [source.view(rand, first, size)]);
    } else if (kind === 'run') {
      const c = call('bash', { command: `cd /testbed && python -m pytest tests/test_${pick(rand, FILES)}.py -x -q 2>&1 | tail -30` });
      turn(i, 'Running the related tests to see the current behaviour.', [c], [testOutput(rand, size)]);
    } else {
      if (spec.failure ?? true) {
        const bad = call('str_replace_editor', { command: 'str_replace', path, old_str: '        total = order["total"]\n', new_str: '        total = order.get("total", 0)\n' });
        turn(i, 'Now the fix.', [bad], [`No replacement was performed: old_str \`        total = order["total"]\n\` did not appear verbatim in ${path}.`]);
      }
      const newStr = `        total = order.get("total", Decimal("0"))\n        if not order.lines:\n            return OrderSummary.empty()\n${spec.plantInArguments ? `        # ${spec.plantInArguments}\n` : ''}`;
      const good = call('str_replace_editor', { command: 'str_replace', path, old_str: '        total = order["total"]\n', new_str: newStr });
      turn(i, 'The indentation differs; retrying with the exact text.', [good], [`The file ${path} has been edited. Here is a snippet of the result:\n${source.view(rand, 120, 600)}`]);
    }
  }
  if (spec.parallelCalls) {
    const a = call('bash', { command: 'cd /testbed && git status --short' });
    const b = call('str_replace_editor', { command: 'view', path: '/testbed/shopkeeper', view_range: [1, -1] });
    turn(steps, 'Checking the state of the tree and the package layout together.', [a, b], [` M ${file}\n`, '/testbed/shopkeeper\n/testbed/shopkeeper/orders\n/testbed/shopkeeper/billing\n']);
  }
  if (spec.malformedCall) {
    const c = call('bash', {}, '{"command": "ls /testbed/shopkeeper');
    turn(steps + 1, 'Listing the package.', [c], ['The arguments of bash are not a JSON object: {"command": "ls /testbed/shopkeeper\nCall the tool again with valid JSON arguments.']);
  }
  const exit = spec.exit ?? 'submitted';
  if (exit === 'submitted') {
    const s1 = call('submit', {});
    turn(steps + 2, 'The change is complete.', [s1], [reviewMessage(patch)]);
    const s2 = call('submit', {});
    turn(steps + 3, 'The diff only touches the function; no scratch files. Submitting.', [s2], ['Submitted.']);
  }
  const assistantTurns = messages.filter((m) => m.role === 'assistant').length;
  return {
    task,
    model,
    messages,
    tools,
    steps: Array.from({ length: assistantTurns }, (_, i) => ({ step: i + 1, teacherMs: 2000, toolMs: 150, promptTokens: 4000 + i * 900, completionTokens: 180, estimatedUsage: false, toolCalls: 1, toolCallSource: 'native' as const })),
    usage: { promptTokens: assistantTurns * 8000, completionTokens: assistantTurns * 180 },
    exit: exit === 'submitted' ? { status: 'submitted' } : { status: exit, reason: exit === 'step-limit' ? 'no submit within 115 model calls' : 'stopped' },
    ms: assistantTurns * 2200,
  };
}

/** A unified diff with `lines` changed lines (half removed, half added) in one hunk. */
export function makePatch(file: string, lines: number, rand: () => number = rng('patch')): string {
  const removed = Math.floor(lines / 2);
  const added = lines - removed;
  const body: string[] = ['     def summarize(self, order):'];
  for (let i = 0; i < removed; i++) body.push(`-        value_${i} = order["${pick(rand, NOUNS)}"]`);
  for (let i = 0; i < added; i++) body.push(`+        value_${i} = order.get("${pick(rand, NOUNS)}", ${i})`);
  body.push('         return OrderSummary(total)');
  return [`diff --git a/${file} b/${file}`, 'index 1a2b3c4..5d6e7f8 100644', `--- a/${file}`, `+++ b/${file}`, `@@ -40,${removed + 2} +40,${added + 2} @@ class Orders:`, ...body, ''].join('\n');
}

export function rng(seed: string): () => number {
  let h = createHash('sha1').update(seed).digest().readUInt32LE(0);
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

function codeLine(rand: () => number): string {
  const indent = ' '.repeat(4 * Math.floor(rand() * 3));
  const n = pick(rand, NOUNS);
  const v = pick(rand, VERBS);
  return indent + pick(rand, [
    `def ${v}_${n}(self, ${n}, *, strict=False):`,
    `${n} = self._${n}s.get(${n}_id)`,
    `if ${n} is None:`,
    `raise ${pick(rand, CLASSES)}Error(f"unknown ${n}: {${n}_id!r}")`,
    `return ${v}_${n}(${n}, currency=self.currency)`,
    `for line in order.lines:`,
    `total += line.quantity * line.unit_price`,
    `logger.debug("${v} %s for %s", ${n}, order.id)`,
    `"""${v[0].toUpperCase() + v.slice(1)} the ${n} of an order, rounding half up."""`,
    `with self._lock:`,
    `self._cache[${n}.key] = ${n}`,
    `# keep the ${n} when the order is only partly paid`,
  ]);
}

function fileView(rand: () => number, first: number, size: number): string {
  const lines: string[] = [];
  let n = 0;
  for (let i = first; n < size; i++) {
    const l = `${String(i).padStart(6)}\t${codeLine(rand)}`;
    lines.push(l);
    n += l.length + 1;
  }
  return lines.join('\n');
}

function grepOutput(rand: () => number, size: number): string {
  const lines: string[] = [];
  let n = 0;
  while (n < size) {
    const l = `/testbed/shopkeeper/${pick(rand, MODULES)}/${pick(rand, FILES)}.py:${1 + Math.floor(rand() * 900)}:${codeLine(rand)}`;
    lines.push(l);
    n += l.length + 1;
  }
  return lines.join('\n');
}

function testOutput(rand: () => number, size: number): string {
  const lines = ['============================= test session starts ==============================', 'collected 14 items', ''];
  let n = 0;
  while (n < size - 300) {
    const l = `tests/test_${pick(rand, FILES)}.py::test_${pick(rand, VERBS)}_${pick(rand, NOUNS)} ${rand() < 0.85 ? 'PASSED' : 'FAILED'}`;
    lines.push(l);
    n += l.length + 1;
  }
  lines.push('E       KeyError: \'total\'', '=========================== 1 failed, 13 passed in 0.41s ===========================');
  return lines.join('\n');
}

const MODULES = ['orders', 'billing', 'inventory', 'shipping', 'customers', 'reports'] as const;
const FILES = ['models', 'service', 'views', 'utils', 'pricing', 'tasks', 'serializers'] as const;
const CLASSES = ['OrderService', 'Invoice', 'StockLedger', 'ShipmentPlanner', 'CustomerRepo', 'ReportBuilder'] as const;
const VERBS = ['compute', 'apply', 'load', 'validate', 'refresh', 'merge', 'render', 'close'] as const;
const NOUNS = ['total', 'discount', 'invoice', 'shipment', 'customer', 'line', 'tax', 'refund', 'balance'] as const;
const AREAS = ['error handling', 'input validation', 'resource cleanup', 'concurrency', 'performance', 'API contract', 'documentation'] as const;
const THOUGHTS = ['The lookup assumes the key exists.', 'An empty order skips the loop entirely.', 'The cache is filled before validation runs.', 'Rounding happens twice on this path.'] as const;
