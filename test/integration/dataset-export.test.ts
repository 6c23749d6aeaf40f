import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { Trajectory } from '../../src/core/agent/types';
import { exportDataset, FORMATS, parseAssistantText, previewExport, type ExportOptions } from '../../src/core/dataset';
import { defaultExportFolder } from '../../src/extension/view-models/export-folder';
import { withRepo } from '../support/fixture-repo';
import { makePatch, makeTempDir, removeDir, writeRun, type SampleSpec } from '../support/run-fixture';

const GOLDEN = resolve(__dirname, '../fixtures/dataset');
const tmp = makeTempDir('rs-dataset-');
after(() => removeDir(tmp));

let counter = 0;
function fresh(name: string): string {
  return join(tmp, `${name}-${counter++}`);
}

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function trajectoryOf(runDir: string, row: Record<string, unknown>): Trajectory {
  const which = row.trajectory === 't1' ? 'r1' : 'r2';
  return JSON.parse(readFileSync(join(runDir, 'trajectories', `${String(row.sample_id)}.${which}.json`), 'utf8')) as Trajectory;
}

async function run(options: Partial<ExportOptions> & { runDirs: string[] }) {
  const out = fresh('out');
  const report = await exportDataset({ workers: 0, ...options, out });
  const train = lines(join(out, 'data', 'train.jsonl'));
  const validation = existsSync(join(out, 'data', 'validation.jsonl')) ? lines(join(out, 'data', 'validation.jsonl')) : [];
  return { out, report, train, validation, rows: [...train, ...validation] };
}

// A small recorded run (committed, so later changes to the agent's prompts do not move the golden
// files): reasoning on some turns, a failed edit and its retry, two calls in one turn.
// UPDATE_GOLDEN=1 records it again and rewrites the golden files.
const RECORDED = join(GOLDEN, 'run');
if (process.env.UPDATE_GOLDEN) {
  removeDir(RECORDED);
  writeRun(RECORDED, {
    samples: [
      { recall: 0.9, t1: { steps: 3, toolOutputChars: 300, parallelCalls: true }, t2: { steps: 3, toolOutputChars: 300, reasoning: false } },
      { recall: 0.6, patchLines: 6, t1: { steps: 3, toolOutputChars: 300, failure: false }, t2: { steps: 3, toolOutputChars: 300 } },
    ],
  });
  rmSync(join(RECORDED, '.gitignore'));
}
const golden = { dir: RECORDED };

describe('export formats', () => {
  for (const format of FORMATS) {
    it(`${format}: matches the golden file line for line`, async () => {
      const { out } = await run({ runDirs: [golden.dir], format });
      const got = readFileSync(join(out, 'data', 'train.jsonl'), 'utf8');
      const file = join(GOLDEN, `${format}.jsonl`);
      if (process.env.UPDATE_GOLDEN) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, got);
      }
      assert.equal(got, readFileSync(file, 'utf8'), `data/train.jsonl differs from ${file}; run with UPDATE_GOLDEN=1 if the change is intended`);
    });
  }

  it('every line parses; train is true exactly on assistant turns; ids, tools and facts are there', async () => {
    for (const format of FORMATS) {
      const { rows } = await run({ runDirs: [golden.dir], format });
      assert.equal(rows.length, 4);
      for (const row of rows) {
        assert.match(String(row.id), /^[0-9a-f]{12}-t[12]$/);
        const tools = (format === 'sharegpt' ? JSON.parse(String(row.tools)) : row.tools) as unknown[];
        assert.ok(Array.isArray(tools) && tools.length === 3);
        assert.equal(row.repository, 'shopkeeper');
        if (format === 'sharegpt') continue; // LLaMA-Factory masks by turn kind; its own test is below
        const turns = (format === 'sharegpt-text' ? row.conversations : row.messages) as Record<string, unknown>[];
        for (const t of turns) {
          const role: unknown = format === 'sharegpt-text' ? t.from : t.role;
          assert.equal(t.train, role === 'assistant' || role === 'gpt', `${format} ${String(role)}`);
        }
      }
    }
  });

  it('hf: the openai messages with each call\'s arguments as an object and the called name on each result', async () => {
    const hf = (await run({ runDirs: [golden.dir], format: 'hf' })).rows;
    const openai = (await run({ runDirs: [golden.dir], format: 'openai' })).rows;
    assert.equal(hf.length, openai.length);
    hf.forEach((row, r) => {
      const messages = row.messages as { role: string; name?: string; tool_call_id?: string; tool_calls?: { id: string; function: { name: string; arguments: unknown } }[] }[];
      const wire = openai[r].messages as typeof messages;
      const names = new Map<string, string>();
      messages.forEach((m, i) => {
        for (const [j, c] of (m.tool_calls ?? []).entries()) {
          assert.deepEqual(c.function.arguments, JSON.parse(String(wire[i].tool_calls![j].function.arguments)));
          names.set(c.id, c.function.name);
        }
        if (m.role === 'tool') assert.equal(m.name, names.get(m.tool_call_id!));
        assert.equal(typeof (m as { content?: unknown }).content, 'string');
      });
    });
  });

  it('sharegpt: LLaMA-Factory turns that alternate and end on the model, the calls as JSON, system and tools in columns', async () => {
    const { rows, out } = await run({ runDirs: [golden.dir], format: 'sharegpt', think: 'drop' });
    for (const row of rows) {
      const source = trajectoryOf(golden.dir, row);
      assert.equal(row.system, source.messages[0].content);
      assert.deepEqual(JSON.parse(String(row.tools)), source.tools);
      const turns = row.conversations as { from: string; value: string }[];
      assert.equal(turns.length % 2, 0);
      turns.forEach((t, i) => assert.ok((i % 2 ? ['gpt', 'function_call'] : ['human', 'observation']).includes(t.from), `${i}: ${t.from}`));
      const calls = turns.filter((t) => t.from === 'function_call').map((t) => JSON.parse(t.value.replace(/^<think>\n[\s\S]*?\n<\/think>\n\n/, '')) as unknown);
      const expected = source.messages.filter((m) => m.tool_calls?.length).map((m) => {
        const list = m.tool_calls!.map((c) => ({ name: c.function.name, arguments: JSON.parse(c.function.arguments) as unknown }));
        return list.length === 1 ? list[0] : list;
      });
      assert.deepEqual(calls, expected);
    }
    const registry = JSON.parse(readFileSync(join(out, 'dataset_info.json'), 'utf8')) as Record<string, { file_name: string; formatting: string }>;
    assert.deepEqual(Object.keys(registry), ['specialized']);
    assert.equal(registry.specialized.formatting, 'sharegpt');
    assert.ok(existsSync(join(out, registry.specialized.file_name)));
  });

  it('hermes and xml: every assistant turn reads back to the trajectory\'s own calls, and the system prompt lists the tools', async () => {
    for (const [format, style] of [['sera-hermes', 'hermes'], ['sera-xml', 'xml'], ['sharegpt-text', 'hermes']] as const) {
      const { rows } = await run({ runDirs: [golden.dir], format, think: 'drop' });
      for (const row of rows) {
        const source = trajectoryOf(golden.dir, row);
        const expected = source.messages.filter((m) => m.role === 'assistant').map((m) => ({ text: m.content ?? '', calls: (m.tool_calls ?? []).map((c) => ({ name: c.function.name, arguments: JSON.parse(c.function.arguments) as unknown })) }));
        const ROLE: Record<string, string> = { system: 'system', human: 'user', gpt: 'assistant' };
        const messages = row.messages ? (row.messages as { role: string; content: string }[]) : (row.conversations as { from: string; value: string }[]).map((t) => ({ role: ROLE[t.from], content: t.value }));
        const got = messages.filter((m) => m.role === 'assistant').map((m) => parseAssistantText(m.content, style, source.tools));
        assert.deepEqual(got, expected);
        assert.ok(messages[0].content.includes('<tools>\n{"type": "function", "function": {"name": "bash"'));
        // Tool results are user turns of <tool_response> blocks, one per call, in order.
        const results = source.messages.filter((m) => m.role === 'tool').length;
        const blocks = messages.filter((m) => m.role === 'user').reduce((n, m) => n + (m.content.match(/<tool_response>\n/g)?.length ?? 0), 0);
        assert.equal(blocks, results);
      }
    }
  });

  it('openai: structured tool_calls with JSON-string arguments and tool messages answering them', async () => {
    const { rows } = await run({ runDirs: [golden.dir], format: 'openai' });
    for (const row of rows) {
      const source = trajectoryOf(golden.dir, row);
      const messages = row.messages as { role: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
      assert.equal(messages.length, source.messages.length);
      messages.forEach((m, i) => {
        assert.equal(m.role, source.messages[i].role);
        if (m.tool_calls) assert.deepEqual(m.tool_calls.map((c) => [c.id, c.function.name, c.function.arguments]), source.messages[i].tool_calls!.map((c) => [c.id, c.function.name, c.function.arguments]));
        if (m.role === 'tool') assert.equal(m.tool_call_id, source.messages[i].tool_call_id);
      });
    }
  });

  it('reasoning is kept beside the content, dropped, or wrapped in <think> tags', async () => {
    const assistant = (rows: Record<string, unknown>[]) => (rows[0].messages as Record<string, unknown>[]).filter((m) => m.role === 'assistant');
    const keep = assistant((await run({ runDirs: [golden.dir], format: 'openai', think: 'keep' })).rows);
    const drop = assistant((await run({ runDirs: [golden.dir], format: 'openai', think: 'drop' })).rows);
    const wrap = assistant((await run({ runDirs: [golden.dir], format: 'sera-hermes', think: 'wrap' })).rows);
    assert.ok(keep.some((m) => typeof m.reasoning_content === 'string'));
    assert.ok(drop.every((m) => m.reasoning_content === undefined && !String(m.content).includes('<think>')));
    assert.ok(wrap.some((m) => String(m.content).startsWith('<think>\nThe task points at')));
    assert.ok(wrap.every((m) => m.reasoning_content === undefined));
  });

  it('T1 only or T2 only', async () => {
    const t1 = await run({ runDirs: [golden.dir], trajectories: 't1' });
    const t2 = await run({ runDirs: [golden.dir], trajectories: 't2' });
    assert.deepEqual(t1.rows.map((r) => r.trajectory), ['t1', 't1']);
    assert.deepEqual(t2.rows.map((r) => r.trajectory), ['t2', 't2']);
    assert.match(String((t2.rows[0].messages as { content: string }[])[1].content), /Steps to reproduce/);
  });
});

describe('selection and filters', () => {
  const base: SampleSpec = { recall: 0.8, t1: { steps: 2, toolOutputChars: 200 }, t2: { steps: 2, toolOutputChars: 200 } };
  const dup = makePatch('shopkeeper/orders/models.py', 4);
  const mixed = writeRun(fresh('mixed'), {
    threshold: 0.5,
    samples: [
      { ...base },
      { ...base, recall: 0.2 }, // below threshold: out
      { ...base, recall: 0.1, decision: 'accepted' }, // accepted: in whatever the recall
      { ...base, recall: 1, decision: 'rejected' }, // rejected: out
      { ...base, t2: { steps: 2, exit: 'step-limit' } }, // T2 did not submit
      { ...base, patchLines: 50 }, // both patches too large
      { ...base, t1: { steps: 2, malformedCall: true } }, // T1 has a call with broken JSON
      { ...base, patch1: dup, patch2: dup },
      { ...base, patch1: dup, patch2: dup }, // same patches as the sample before
      { ...base, missingTrajectory: 't2' },
      { ...base, t1: null, t2: null, status: 'failed', recall: null }, // failed in rollout 1
    ],
  });

  it('decisions come first, then the threshold; each filter reports what it removed', async () => {
    const { report, rows } = await run({ runDirs: [mixed.dir] });
    assert.deepEqual(report.removedBy, {
      'below-threshold': 2,
      'duplicate-patch': 2,
      'patch-lines': 2,
      rejected: 2,
      unverified: 2,
      'malformed-tool-call': 1,
      'missing-trajectory': 1,
      'not-submitted': 1,
    });
    assert.equal(report.candidates, 22);
    assert.equal(rows.length, 22 - 13);
    assert.equal(report.written.total, rows.length);
    const ids = new Set(rows.map((r) => r.sample_id));
    assert.ok(ids.has(mixed.ids[2]), 'the accepted sample is in despite its recall');
    assert.ok(!ids.has(mixed.ids[1]) && !ids.has(mixed.ids[3]));
    assert.equal(rows.find((r) => r.sample_id === mixed.ids[2])?.decision, 'accepted');
    assert.equal(report.decisions.accepted, 1);
    assert.equal(report.samples, ids.size);
  });

  it('--only-accepted, a threshold override, unsubmitted trajectories and dedupe can each be changed', async () => {
    assert.deepEqual((await run({ runDirs: [mixed.dir], onlyAccepted: true })).rows.map((r) => r.sample_id), [mixed.ids[2], mixed.ids[2]]);
    const low = await run({ runDirs: [mixed.dir], threshold: 0.15 });
    assert.equal(low.report.removedBy['below-threshold'], 0 || undefined);
    const unsubmitted = await run({ runDirs: [mixed.dir], includeUnsubmitted: true, keepDuplicatePatches: true, maxPatchLines: 0 });
    assert.equal(unsubmitted.report.removedBy['not-submitted'], undefined);
    assert.equal(unsubmitted.report.removedBy['duplicate-patch'], undefined);
    assert.equal(unsubmitted.report.removedBy['patch-lines'], undefined);
    assert.equal(unsubmitted.rows.length, 22 - 13 + 5);
  });

  it('the tool-output filter drops trajectories whose outputs are long on average', async () => {
    const r = writeRun(fresh('long-out'), { samples: [{ t1: { steps: 2, toolOutputChars: 200 }, t2: { steps: 2, toolOutputChars: 6000 } }] });
    const { report, rows } = await run({ runDirs: [r.dir], maxToolOutputChars: 2000 });
    assert.deepEqual(report.removedBy, { 'tool-output-length': 1 });
    assert.deepEqual(rows.map((x) => x.trajectory), ['t1']);
  });

  it('samples stopped as P1 too large are left out under their own reason, and the card says how many, why and which option sets the limit', async () => {
    const big = { status: 'too-large', recall: null, t2: null, patchLines: 60 } as const;
    const r = writeRun(fresh('too-large'), { maxP1Lines: 40, samples: [{ ...base }, { ...base, ...big }, { ...base, ...big }, { ...base, t1: null, t2: null, status: 'failed', recall: null }] });
    const { out, report } = await run({ runDirs: [r.dir] });
    assert.deepEqual(report.removedBy, { 'p1-too-large': 4, unverified: 2 });
    assert.deepEqual(report.runs.map((x) => x.maxP1Lines), [40]);
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(card, /^\| p1-too-large \| 4 \|$/m);
    assert.match(card, /^`p1-too-large`: 2 samples were stopped after rollout 1 as too large: T1's patch changed more than 40 lines, the limit set by `specialize generate --max-p1-lines` \(setting `repoSpecializer\.generation\.maxP1Lines`, 40 by default, 0 for none\)\. Such a sample has no synthetic PR, no T2 and no recall;/m);
    const t1only = readFileSync(join((await run({ runDirs: [r.dir], trajectories: 't1' })).out, 'README.md'), 'utf8');
    assert.match(t1only, /`p1-too-large`: 2 samples were stopped/, 'counted in samples whatever the trajectories exported');
    const none = readFileSync(join((await run({ runDirs: [mixed.dir] })).out, 'README.md'), 'utf8');
    assert.doesNotMatch(none, /too large/, 'no note for a run without such samples');
  });

  it('the token budget drops what does not fit, or clips the longest tool outputs with a marker when asked', async () => {
    const r = writeRun(fresh('tokens'), { samples: [{ t1: { steps: 2, toolOutputChars: 200 }, t2: { steps: 8, toolOutputChars: 4000 } }] });
    const all = await run({ runDirs: [r.dir], maxTokens: 0 });
    const [small, big] = all.rows.map((x) => x.trajectory === 't1');
    assert.ok(small && !big);
    const budget = Math.round((all.report.tokens.max + all.report.tokens.total - all.report.tokens.max) / 2);
    const dropped = await run({ runDirs: [r.dir], maxTokens: budget });
    assert.deepEqual(dropped.report.removedBy, { 'token-budget': 1 });
    assert.ok(dropped.report.tokens.max <= budget);
    const clipped = await run({ runDirs: [r.dir], maxTokens: budget, truncate: true });
    assert.equal(clipped.rows.length, 2);
    assert.equal(clipped.report.truncated, 1);
    assert.ok(clipped.report.tokens.max <= budget);
    assert.match(JSON.stringify(clipped.rows), /characters left out by the export to fit the token budget/);
  });

  it('previewExport counts what exportDataset writes, without writing', async () => {
    const preview = await previewExport({ runDirs: [mixed.dir], workers: 0 });
    const { report } = await run({ runDirs: [mixed.dir] });
    assert.deepEqual(preview, { selected: report.written.total, samples: report.samples, removedBy: report.removedBy, redactions: report.redactions.total });
  });
});

describe('split, layout and privacy', () => {
  // 24 functions, several samples (and instances) per function.
  const many: SampleSpec[] = [];
  for (let f = 0; f < 24; f++) for (let k = 0; k < 1 + (f % 3); k++) many.push({ file: `shopkeeper/m${f}.py`, qualifiedName: `Thing${f}.run`, instance: k, patchLines: 2 + k + f, t1: { steps: 1, toolOutputChars: 100 }, t2: { steps: 1, toolOutputChars: 100 } });
  const manyRun = writeRun(fresh('many'), { samples: many });

  it('splits by start function: no function on both sides, the same split every time, with or without workers', async () => {
    const a = await run({ runDirs: [manyRun.dir], validation: 0.25 });
    const b = await run({ runDirs: [manyRun.dir], validation: 0.25, workers: 2 });
    const fn = (r: Record<string, unknown>) => `${String(r.file)}:${String(r.function)}`;
    const trainFns = new Set(a.train.map(fn));
    const valFns = new Set(a.validation.map(fn));
    assert.equal(valFns.size, 6);
    assert.equal(trainFns.size, 18);
    for (const f of valFns) assert.ok(!trainFns.has(f), `${f} is on both sides`);
    assert.equal(a.report.validationFunctions, 6);
    assert.equal(readFileSync(join(a.out, 'data/train.jsonl'), 'utf8'), readFileSync(join(b.out, 'data/train.jsonl'), 'utf8'));
    assert.equal(readFileSync(join(a.out, 'data/validation.jsonl'), 'utf8'), readFileSync(join(b.out, 'data/validation.jsonl'), 'utf8'));
    assert.equal(b.report.workers, 2);
  });

  it('writes a folder datasets loads: data files, a card whose front matter points at them, and export.json', async () => {
    const { out, report } = await run({ runDirs: [manyRun.dir], validation: 0.25, format: 'hf', license: 'apache-2.0', name: 'Shop agent data' });
    assert.deepEqual(readdirSync(out).sort(), ['README.md', 'data', 'export.json', 'redactions.jsonl']);
    assert.deepEqual(readdirSync(join(out, 'data')).sort(), ['train.jsonl', 'validation.jsonl']);
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    const front = /^---\n([\s\S]*?)\n---\n/.exec(card);
    assert.ok(front, 'the card starts with YAML front matter');
    const meta = parseYaml(front[1]) as Record<string, unknown>;
    assert.equal(meta.pretty_name, 'Shop agent data');
    assert.equal(meta.license, 'apache-2.0');
    assert.deepEqual(meta.task_categories, ['text-generation']);
    assert.ok((meta.tags as string[]).includes('agent'));
    const configs = meta.configs as { config_name: string; data_files: { split: string; path: string }[] }[];
    assert.equal(configs[0].config_name, 'default');
    assert.deepEqual(configs[0].data_files.map((d) => d.split), ['train', 'validation']);
    for (const d of configs[0].data_files) assert.ok(existsSync(join(out, d.path)), d.path);
    const features = (configs[0] as unknown as { features: { name: string; list?: string }[] }).features;
    assert.deepEqual(features.filter((f) => f.list === 'json').map((f) => f.name), ['messages', 'tools'], 'hf declares its messages and tools as JSON');
    assert.ok(card.includes('assistant_only_loss=True') && card.includes('eval_dataset=ds["validation"]'), 'the TRL recipe');
    for (const fact of ['qwen2.5-coder:32b', '3f2a9c1d8e7b', '| recall threshold | 0.5', 'load_dataset', 'message_field_training: train', `| trajectories | ${report.written.total}`]) assert.ok(card.includes(fact), fact);
    const yamlBlock = /```yaml\n([\s\S]*?)```/.exec(card);
    assert.ok(yamlBlock && (parseYaml(yamlBlock[1]) as { datasets: unknown[] }).datasets.length === 1, 'the training configuration is valid YAML');
    const manifest = JSON.parse(readFileSync(join(out, 'export.json'), 'utf8')) as { options: Record<string, unknown>; report: { removedBy: unknown; written: unknown } };
    assert.equal(manifest.options.format, 'hf');
    assert.equal(manifest.options.validation, 0.25);
    assert.equal(manifest.options.maxPatchLines, 40);
    assert.deepEqual(manifest.report.written, report.written);
  });

  it('an export to the folder proposed beside the runs leaves git status clean, as the run does', async () => {
    await withRepo({ 'shop/cart.py': 'def total(items):\n    return sum(items)\n' }, async (repo) => {
      const runDir = join(repo.root, '.specializer', 'runs', '2026-11-24_17-30-00');
      writeRun(runDir, { samples: [{}] });
      assert.equal(repo.git('status', '--porcelain', '--untracked-files=all'), '', 'the run ignores itself');
      for (const format of ['sera-hermes', 'openai'] as const) {
        const out = defaultExportFolder(runDir, format);
        assert.equal(out, join(repo.root, '.specializer', 'exports', `2026-11-24_17-30-00-${format}`));
        const report = await exportDataset({ runDirs: [runDir], out, format, workers: 0 });
        assert.equal(report.written.total, 2);
      }
      assert.equal(repo.git('status', '--porcelain', '--untracked-files=all', '--ignored=no'), '');
      assert.deepEqual(readdirSync(join(repo.root, '.specializer', 'exports')).sort(), ['.gitignore', '2026-11-24_17-30-00-openai', '2026-11-24_17-30-00-sera-hermes']);
      assert.ok(!existsSync(join(repo.root, '.specializer', 'exports', '2026-11-24_17-30-00-openai', '.gitignore')), 'the dataset folder holds only the dataset');
      // an export the user puts elsewhere in the repository is theirs to commit
      await exportDataset({ runDirs: [runDir], out: join(repo.root, 'datasets', 'shop'), workers: 0 });
      assert.match(repo.git('status', '--porcelain', '--untracked-files=all'), /^\?\? datasets\/shop\/README\.md$/m);
    });
  });

  it('refuses a folder that is not empty, and replaces an earlier export only when asked', async () => {
    const out = fresh('out-existing');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await assert.rejects(exportDataset({ runDirs: [manyRun.dir], out, workers: 0 }), /is not empty; choose a new or empty --out folder/);
    const again = fresh('out-again');
    await exportDataset({ runDirs: [manyRun.dir], out: again, workers: 0 });
    await assert.rejects(exportDataset({ runDirs: [manyRun.dir], out: again, workers: 0 }), /already holds an export; pass --overwrite/);
    await exportDataset({ runDirs: [manyRun.dir], out: again, workers: 0, overwrite: true });
    await assert.rejects(exportDataset({ runDirs: [join(tmp, 'nope')], out: fresh('o'), workers: 0 }), /is not a run directory/);
  });

  it('clears what a killed export left (files still named .partial), but not a file of the user\'s', async () => {
    const out = fresh('killed');
    mkdirSync(join(out, 'data'), { recursive: true });
    writeFileSync(join(out, 'data', 'train.jsonl.partial'), '{"torn');
    writeFileSync(join(out, 'redactions.jsonl.partial'), '');
    await exportDataset({ runDirs: [manyRun.dir], out, workers: 0 });
    assert.deepEqual(readdirSync(join(out, 'data')), ['train.jsonl']);
    assert.ok(!readdirSync(out).some((f) => f.endsWith('.partial')));
    const mixed = fresh('killed-mixed');
    mkdirSync(join(mixed, 'data'), { recursive: true });
    writeFileSync(join(mixed, 'data', 'train.jsonl.partial'), '');
    writeFileSync(join(mixed, 'data', 'mine.csv'), 'a,b');
    await assert.rejects(exportDataset({ runDirs: [manyRun.dir], out: mixed, workers: 0 }), /is not empty/);
    assert.ok(existsSync(join(mixed, 'data', 'mine.csv')));
  });

  it('a cancelled export leaves no folder behind, so the same folder works next time', async () => {
    const out = join(fresh('cancelled'), 'nested', 'dataset');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(exportDataset({ runDirs: [manyRun.dir], out, workers: 0 }, undefined, controller.signal), /The export was cancelled/);
    assert.equal(existsSync(join(out, '..', '..')), false, 'folders the export made are left');
    const mine = fresh('cancelled-mine');
    mkdirSync(mine);
    await assert.rejects(exportDataset({ runDirs: [manyRun.dir], out: mine, workers: 0 }, undefined, controller.signal), /cancelled/);
    assert.deepEqual(readdirSync(mine), [], 'the folder the user made stays, empty');
    const report = await exportDataset({ runDirs: [manyRun.dir], out: mine, workers: 0 });
    assert.ok(report.written.total > 0);
  });

  it('cancelled halfway, with rows already written, it leaves no partial file or folder', async () => {
    const big = writeRun(fresh('big'), { samples: Array.from({ length: 130 }, (_, i) => ({ file: `m${i}.py`, qualifiedName: `f${i}`, t1: { steps: 1, toolOutputChars: 50 }, t2: { steps: 1, toolOutputChars: 50 } })) });
    for (const workers of [0, 2]) {
      const out = join(fresh('halfway'), 'dataset');
      const controller = new AbortController();
      let writtenAtCancel = 0;
      const progress = (p: { written: number }) => {
        if (p.written && !controller.signal.aborted) {
          writtenAtCancel = p.written;
          controller.abort();
        }
      };
      await assert.rejects(exportDataset({ runDirs: [big.dir], out, workers }, progress, controller.signal), /cancelled/, `${workers} workers: not cancelled`);
      assert.ok(writtenAtCancel > 0, 'the export was cancelled before it wrote a row');
      assert.equal(existsSync(join(out, '..')), false, `${workers} workers: something was left`);
    }
  });

  it('exports several runs together and keeps a sample id seen twice only once', async () => {
    const copy = writeRun(fresh('copy'), { samples: [{ recall: 0.9, t1: { steps: 1 }, t2: { steps: 1 } }, { recall: 0.9, t1: { steps: 1 }, t2: { steps: 1 } }], seed: 'other' });
    const { report, rows } = await run({ runDirs: [golden.dir, copy.dir, golden.dir] });
    assert.equal(rows.length, 8);
    assert.equal(report.removedBy['duplicate-sample'], 4);
    assert.equal(report.runs.length, 3);
  });

  it('scrubs secrets and the user\'s own paths and key from every file, and says where', async () => {
    const checkout = join(tmp, 'home', 'alice', 'shop');
    const runDir = join(checkout, '.specializer', 'runs', 'r1');
    const apiKey = 'sk-teacher-key-NOT-a-pattern-match';
    writeRun(runDir, {
      runId: 'r1',
      samples: [
        {
          t1: { steps: 2, plant: [`Traceback: ${checkout}/shopkeeper/app.py line 3`, 'aws_access_key_id = AKIAQX7RZ3N5B2LKP4WM', `echo ${apiKey}`] },
          t2: { steps: 3, plantInArguments: 'token = "ghp_R7tY2uI9oP4aS6dF1gH3jK5lZ8xC0vB2nM4qW"' },
        },
      ],
    });
    const { out, report } = await run({ runDirs: [runDir], knownSecrets: [apiKey] });
    const everything = readdirSync(out, { recursive: true })
      .map((f) => join(out, String(f)))
      .filter((p) => !p.endsWith('data'))
      .map((p) => readFileSync(p, 'utf8'))
      .join('\n');
    for (const leak of [checkout, tmp, apiKey, 'AKIAQX7RZ3N5B2LKP4WM', 'ghp_R7tY2uI9oP4aS6dF1gH3jK5lZ8xC0vB2nM4qW']) assert.ok(!everything.includes(leak), `${leak} leaked`);
    assert.ok(everything.includes('Traceback: /testbed/shopkeeper/app.py'));
    assert.deepEqual(report.redactions.byType, { 'aws-access-key': 1, 'github-token': 1, 'known-secret': 1, 'user-path': 1 });
    const notes = lines(join(out, 'redactions.jsonl'));
    assert.deepEqual(
      notes.map((n) => [n.trajectory, n.type, String(n.field).replace(/\d+/g, 'N')]).sort(),
      [
        ['t1', 'aws-access-key', 'messages[N].content'],
        ['t1', 'known-secret', 'messages[N].content'],
        ['t1', 'user-path', 'messages[N].content'],
        ['t2', 'github-token', 'messages[N].tool_calls[N].arguments'],
      ],
    );
    const unscrubbed = await run({ runDirs: [runDir], knownSecrets: [apiKey], scrub: false });
    const text = JSON.stringify(unscrubbed.rows);
    assert.ok(text.includes('AKIAQX7RZ3N5B2LKP4WM'), '--no-scrub keeps pattern matches');
    assert.ok(!text.includes(apiKey) && !text.includes(checkout), 'but never the key or the paths');
  });
});
