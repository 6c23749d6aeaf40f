import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FORMATS, parseAssistantText, previewExport } from '../../src/core/dataset';
import { fresh, golden, GOLDEN, runExport as run, trajectoryOf } from '../support/dataset-export-run';
import { makePatch, writeRun, type SampleSpec } from '../support/run-fixture';

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
