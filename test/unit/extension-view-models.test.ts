import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FunctionRecord } from '../../src/core/functions/types';
import type { DecisionRecord, SampleRecord } from '../../src/core/store/records';
import { groupSamples, hoverMarkdown, lensTitle, lensTooltip, statsForDefinitions } from '../../src/extension/view-models/codelens';
import { ASSUMED_TOKENS_PER_SAMPLE, estimateTokens, formatTokens } from '../../src/extension/view-models/estimate';
import { buildFunctionTree, functionsUnder } from '../../src/extension/view-models/functions-tree';
import { SETTING_DEFAULTS, validateSettings } from '../../src/extension/view-models/settings';
import { TEACHER_PRESETS } from '../../src/extension/view-models/teacher-presets';
import { oneSampleMessage, oneSampleRunName } from '../../src/extension/view-models/one-sample';
import { defaultExportFolder, isProposedFolder } from '../../src/extension/view-models/export-folder';
import { nothingPassesAdvice, removedText } from '../../src/extension/view-models/removed';
import { countStatuses, runLabel, runRowText, runTooltipCounts, statusBarText } from '../../src/extension/view-models/run-item';

function sample(id: string, file: string, qualifiedName: string, status: SampleRecord['status'], recall: number | null, startLine = 1, endLine = startLine + 4): SampleRecord {
  return {
    id,
    runId: 'r',
    function: { id: `${file}:${qualifiedName}:${startLine}`, file, name: qualifiedName.split('.').pop()!, qualifiedName, language: 'python', startLine, endLine },
    instance: 0,
    instruction: { templateId: 't', area: 'a', text: 'x' },
    rollout1: null,
    syntheticPr: null,
    judge: null,
    rollout2: null,
    verification: recall === null ? null : { recall, precision: recall, f1: recall, matched: 1, p1Lines: 2, p2Lines: 2, threshold: 0.5, passed: recall >= 0.5, matchMap: { p1: [], p2: [] } },
    status,
    failure: status === 'failed' || status === 'too-large' ? { stage: 'rollout1', reason: 'x' } : null,
    usage: { promptTokens: 1000, completionTokens: 100 },
    ms: 10,
    finishedAt: '2026-01-01T00:00:00Z',
  };
}

describe('settings validation', () => {
  test('defaults are valid and give the documented values', () => {
    const { settings, problems } = validateSettings(() => undefined);
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.baseUrls, SETTING_DEFAULTS['teacher.baseUrls']);
    assert.equal(settings.threshold, 0.5);
    assert.equal(settings.concurrency, 8);
    assert.equal(settings.maxSteps, 115);
    assert.equal(settings.sandbox, 'auto');
    assert.equal(settings.maxTokens, undefined);
    assert.equal(settings.requestTimeoutMs, 600_000);
  });

  test('the request timeout is read in seconds, and a timeout of 0 or a fraction is refused', () => {
    assert.equal(validateSettings((k) => (k === 'teacher.requestTimeoutSeconds' ? 30 : undefined)).settings.requestTimeoutMs, 30_000);
    for (const bad of [0, 2.5, -1, '60']) {
      const { settings, problems } = validateSettings((k) => (k === 'teacher.requestTimeoutSeconds' ? bad : undefined));
      assert.deepEqual(problems.map((p) => p.setting), ['repoSpecializer.teacher.requestTimeoutSeconds']);
      assert.equal(settings.requestTimeoutMs, 600_000);
    }
  });

  test('a bad value is named with its setting and replaced by the default', () => {
    const raw: Record<string, unknown> = {
      'generation.threshold': 1.5,
      'generation.concurrency': 2.5,
      'teacher.baseUrls': ['ftp://x', 'http://ok:1/v1/'],
      'sandbox.mode': 'chroot',
      'scan.exclude': 'not-a-list',
    };
    const { settings, problems } = validateSettings((k) => raw[k]);
    const named = problems.map((p) => p.setting).sort();
    assert.deepEqual(named, ['repoSpecializer.generation.concurrency', 'repoSpecializer.generation.threshold', 'repoSpecializer.sandbox.mode', 'repoSpecializer.scan.exclude', 'repoSpecializer.teacher.baseUrls']);
    for (const p of problems) assert.ok(p.message.startsWith(p.setting), p.message);
    assert.equal(settings.threshold, 0.5);
    assert.equal(settings.concurrency, 8);
    assert.equal(settings.sandbox, 'auto');
    assert.deepEqual(settings.exclude, []);
    assert.deepEqual(settings.baseUrls, ['ftp://x', 'http://ok:1/v1']);
  });

  test('the per-file cap and instances per function are settings package.json contributes, with the same defaults', () => {
    const contributed = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } }).contributes.configuration.properties;
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) assert.deepEqual(contributed[`repoSpecializer.${key}`]?.default, value, key);
    const { settings, problems } = validateSettings((k) => ({ 'generation.perFileCap': 12, 'generation.instancesPerFunction': 0 } as Record<string, unknown>)[k]);
    assert.equal(settings.perFileCap, 12);
    assert.equal(settings.instancesPerFunction, 1);
    assert.deepEqual(problems.map((p) => p.setting), ['repoSpecializer.generation.instancesPerFunction']);
  });

  test('an empty endpoint list is a problem', () => {
    const { problems } = validateSettings((k) => (k === 'teacher.baseUrls' ? [] : undefined));
    assert.match(problems[0].message, /is empty/);
  });
});

describe('CodeLens and hover from runs', () => {
  const decisions = new Map<string, DecisionRecord>([
    ['b', { sampleId: 'b', decision: 'accepted', at: 'x' }],
    ['e', { sampleId: 'e', decision: 'rejected', at: 'x' }],
  ]);
  const runs = [
    { runDir: '/r2', samples: [sample('a', 'app/x.py', 'Cart.total', 'below-threshold', 0.25), sample('b', 'app/x.py', 'Cart.total', 'verified', 0.82)], decisions },
    { runDir: '/r1', samples: [sample('c', 'app/x.py', 'Cart.total', 'failed', null), sample('d', 'app/y.py', 'helper', 'verified', 1), sample('e', 'app/y.py', 'other', 'verified', 1), sample('f', 'app/y.py', 'big', 'too-large', null)], decisions },
  ];
  const groups = groupSamples(runs);
  const one = (file: string, qualifiedName: string) => statsForDefinitions(file, [{ qualifiedName, startLine: 1, endLine: 5 }], groups)[0]!;

  test('counts samples per definition across runs, best recall, accepted and rejected; the panel opens the newest run', () => {
    const s = one('app/x.py', 'Cart.total');
    assert.equal(s.samples.length, 3);
    assert.equal(s.bestRecall, 0.82);
    assert.equal(s.accepted, 1);
    assert.equal(s.runDir, '/r2');
    assert.equal(s.functionId, 'app/x.py:Cart.total:1');
    assert.equal(lensTitle(s), '3 samples · best recall 0.82 · 1 accepted · 2 undecided');
    assert.equal(lensTitle(one('app/y.py', 'helper')), '1 sample · recall 1.00 · undecided');
    assert.equal(lensTitle(one('app/y.py', 'other')), '1 sample · recall 1.00 · rejected');
    // stopped after rollout 1: there is nothing to decide, so the lens says why instead of "undecided"
    assert.equal(lensTitle(one('app/y.py', 'big')), '1 sample · no recall yet · P1 too large');
    assert.match(hoverMarkdown(one('app/y.py', 'big')), /^- `f`: P1 too large, recall –, undecided$/m);
  });

  test('a sample belongs to one definition: the one of its name nearest the line it was made at', () => {
    // Two @overload stubs and the implementation of one name; the run sampled the implementation (line 18) twice.
    const run = { runDir: '/r', samples: [sample('s1', 'u.py', 'to_key_val_list', 'verified', 1, 18, 40), sample('s2', 'u.py', 'to_key_val_list', 'verified', 0.5, 18, 40)], decisions: new Map() };
    const defs = [
      { qualifiedName: 'to_key_val_list', startLine: 10, endLine: 12 },
      { qualifiedName: 'to_key_val_list', startLine: 14, endLine: 16 },
      { qualifiedName: 'to_key_val_list', startLine: 18, endLine: 40 },
      { qualifiedName: 'other', startLine: 42, endLine: 50 },
    ];
    const stats = statsForDefinitions('u.py', defs, groupSamples([run]));
    assert.deepEqual(stats.map((s) => s?.samples.length ?? 0), [0, 0, 2, 0]);
    assert.equal(stats[2]!.functionId, 'u.py:to_key_val_list:18');
    // Three lines were added above since the run: the samples still land on the implementation.
    const moved = statsForDefinitions('u.py', defs.map((d) => ({ ...d, startLine: d.startLine + 3, endLine: d.endLine + 3 })), groupSamples([run]));
    assert.deepEqual(moved.map((s) => s?.samples.length ?? 0), [0, 0, 2, 0]);
  });

  test('the tooltip and the hover list every sample with status, recall and decision', () => {
    const s = one('app/x.py', 'Cart.total');
    const tip = lensTooltip(s);
    assert.match(tip, /^a · below threshold · recall 0\.25 · undecided$/m);
    assert.match(tip, /^b · verified · recall 0\.82 · accepted$/m);
    assert.match(tip, /^c · failed · recall – · undecided$/m);
    const md = hoverMarkdown(s, 'repoSpecializer.openCurationForFunction');
    assert.match(md, /^- `a`: below threshold, recall 0\.25, undecided$/m);
    assert.match(md, /^- `b`: verified, recall 0\.82, accepted$/m);
    assert.match(md, /^- `c`: failed, recall –, undecided$/m);
    const link = /\(command:repoSpecializer\.openCurationForFunction\?([^)]+)\)/.exec(md);
    assert.ok(link, md);
    assert.equal(JSON.parse(decodeURIComponent(link[1]))[0].functionId, s.functionId);
  });
});

describe('token estimate before a run', () => {
  test('uses the history of this repository when there is enough', () => {
    const e = estimateTokens(10, [{ finishedSamples: 4, tokens: 400_000 }]);
    assert.equal(e.basis, 'history');
    assert.equal(e.perSample, 100_000);
    assert.equal(e.total, 1_000_000);
    assert.match(e.explanation, /4 earlier samples/);
  });

  test('states its assumption otherwise', () => {
    const e = estimateTokens(5, []);
    assert.equal(e.basis, 'assumption');
    assert.equal(e.total, 5 * ASSUMED_TOKENS_PER_SAMPLE);
    assert.match(e.explanation, /assuming/);
    assert.equal(formatTokens(2_500_000), '2.5M');
    assert.equal(formatTokens(12_300), '12k');
  });
});

describe('the Functions view model', () => {
  const fn = (file: string, qualifiedName: string, startLine: number): FunctionRecord => ({ id: `${file}:${qualifiedName}:${startLine}`, file, name: qualifiedName, qualifiedName, language: 'python', startLine, endLine: startLine + 3, signature: '', calls: [] });
  const functions = [fn('src/pkg/core/a.py', 'b', 10), fn('src/pkg/core/a.py', 'a', 1), fn('src/pkg/core/z.py', 'z', 1), fn('main.py', 'main', 1)];

  test('folders, then files, then functions in source order, with compact folder chains', () => {
    const stats = groupSamples([{ runDir: '/r', samples: [sample('s', 'src/pkg/core/a.py', 'b', 'verified', 0.9, 10)], decisions: new Map() }]);
    const tree = buildFunctionTree(functions, stats, new Set([functions[2].id]));
    assert.deepEqual(tree.map((n) => [n.kind, n.label]), [['folder', 'src/pkg/core'], ['file', 'main.py']]);
    const folder = tree[0];
    assert.equal(folder.kind === 'folder' && folder.functions, 3);
    assert.equal(folder.kind === 'folder' && folder.samples, 1);
    const file = folder.kind === 'folder' ? folder.children[0] : undefined;
    assert.equal(file?.label, 'a.py');
    const names = file && file.kind === 'file' ? file.children.map((c) => (c.kind === 'function' ? [c.label, c.samples, c.checked] : [])) : [];
    assert.deepEqual(names, [['a', 0, true], ['b', 1, true]]);
    const z = folder.kind === 'folder' ? folder.children[1] : undefined;
    assert.equal(z && z.kind === 'file' && z.children[0].kind === 'function' && z.children[0].checked, false);
    assert.equal(functionsUnder(folder).length, 3);
  });
});

describe('teacher presets', () => {
  test('cover the servers the docs name, with OpenAI-compatible /v1 URLs', () => {
    assert.deepEqual(TEACHER_PRESETS.map((p) => p.id), ['ollama', 'vllm', 'lmstudio', 'llamacpp', 'openai', 'openrouter', 'custom']);
    for (const p of TEACHER_PRESETS.filter((x) => x.baseUrl)) assert.match(p.baseUrl, /^https?:\/\/[^/]+(\/api)?\/v1$/);
  });
});

describe('one sample at a time, into one run per day', () => {
  const day = new Date(2026, 11, 2, 9, 30);
  test('the day run is named for the date, and for the commit when the day already has a run of another base', () => {
    assert.equal(oneSampleRunName(day, 'abc123def4567890', null), 'one-sample-2026-12-02');
    assert.equal(oneSampleRunName(day, 'abc123def4567890', 'abc123def4567890'), 'one-sample-2026-12-02');
    assert.equal(oneSampleRunName(day, 'abc123def4567890', 'ffff000011112222'), 'one-sample-2026-12-02-abc123de');
  });

  test('the report says the outcome, the tokens and where the sample is', () => {
    assert.equal(oneSampleMessage('Cart.total', { status: 'verified', recall: 0.82, tokens: 41_300, failure: null }, 'one-sample-2026-12-02', 3), 'Repo Specializer: the sample on Cart.total is verified, recall 0.82; 41k tokens. It is in run one-sample-2026-12-02 (3 samples).');
    assert.match(oneSampleMessage('f', { status: 'failed', recall: null, tokens: 900, failure: 'empty P2' }, 'r', 1), /is failed \(empty P2\); 900 tokens\. It is in run r \(1 sample\)\.$/);
  });
});

describe('the Runs view and the teacher quick pick', () => {
  test('a run row is short: a readable date, then done/planned and the counts, P1 too large only when there are any', () => {
    assert.deepEqual(runRowText('2026-12-02_01-09-53', { done: 8, total: 8, verified: 6, below: 1, failed: 1, tooLarge: 0 }), { label: 'Dec 2, 01:09', description: '8/8 ✓6 ~1 ✗1' });
    assert.equal(runRowText('r', { done: 8, total: 10, verified: 4, below: 1, failed: 1, tooLarge: 2 }).description, '8/10 ✓4 ~1 ✗1 ▲2');
    assert.equal(runLabel('one-sample-2026-12-02'), 'one-sample-2026-12-02');
  });

  test('samples stopped as P1 too large count as their own kind, not as failed', () => {
    const samples = [sample('a', 'x.py', 'f', 'verified', 1), sample('b', 'x.py', 'f', 'too-large', null), sample('c', 'x.py', 'f', 'too-large', null), sample('d', 'x.py', 'f', 'failed', null), sample('e', 'x.py', 'f', 'below-threshold', 0.2)];
    assert.deepEqual(countStatuses(samples), { verified: 1, below: 1, failed: 1, tooLarge: 2 });
  });

  test("the Runs view tooltip names each kind and says why samples are too large and what sets the limit", () => {
    const c = { done: 5, total: 6, verified: 1, below: 1, failed: 1, tooLarge: 2 };
    const [counts, why] = runTooltipCounts(c, 1, 40);
    assert.equal(counts, '5 of 6 samples done: ✓ 1 verified, ~ 1 below threshold, ✗ 1 failed, ▲ 2 P1 too large, 1 pending');
    assert.match(why, /rollout 1 changed more than 40 lines, so those samples stopped there; their PRs and second rollouts were not paid for, since export's default filter \(at most 40 changed lines\) would leave them out anyway\./);
    // a limit below export's filter stopped samples export would have kept: no "anyway"
    assert.doesNotMatch(runTooltipCounts(c, 1, 20)[1], /anyway/);
    assert.match(why, /repoSpecializer\.generation\.maxP1Lines.*--max-p1-lines/);
    assert.match(runTooltipCounts({ ...c, tooLarge: 1 }, 1, 0)[1], /more lines than the run allowed, so the sample stopped there; its PR/);
    // no too-large samples: no explanation to read past
    assert.deepEqual(runTooltipCounts({ ...c, tooLarge: 0 }, 1, 40), ['5 of 6 samples done: ✓ 1 verified, ~ 1 below threshold, ✗ 1 failed, 1 pending']);
  });

  test('the status bar sums the runs going on and shows P1 too large apart from failed', () => {
    const a = { done: 3, total: 8, verified: 1, below: 0, failed: 1, tooLarge: 1 };
    const b = { done: 2, total: 4, verified: 1, below: 1, failed: 0, tooLarge: 0 };
    const bar = statusBarText([a, b, undefined]);
    assert.equal(bar.text, '$(sync~spin) Samples 5/12 $(pass) 2 $(circle-slash) 1 $(error) 1 $(triangle-up) 1');
    assert.match(bar.tooltip, /^Repo Specializer: 3 runs going on: 5 of 12 samples done, 2 verified, 1 below threshold, 1 failed, 1 P1 too large\. P1 too large: stopped after rollout 1, with no PR or second rollout paid for, because P1 changed more lines than generation\.maxP1Lines allows\. Click/);
    assert.equal(statusBarText([b]).text, '$(sync~spin) Samples 2/4 $(pass) 1 $(circle-slash) 1 $(error) 0');
    assert.doesNotMatch(statusBarText([b]).tooltip, /too large/);
  });

  test('no preset text carries markdown backticks (a quick pick shows them literally)', () => {
    for (const p of TEACHER_PRESETS) assert.ok(!`${p.label}${p.detail}${p.baseUrl}`.includes('`'), p.id);
  });
});

describe('the proposed export folder', () => {
  test('sits beside the runs folder, named for the run and the format', () => {
    assert.equal(defaultExportFolder('/w/repo/.specializer/runs/2026-12-02_01-09-53', 'sera-hermes'), '/w/repo/.specializer/exports/2026-12-02_01-09-53-sera-hermes');
    assert.equal(defaultExportFolder('/w/repo/.specializer/runs/r1/', 'openai'), '/w/repo/.specializer/exports/r1-openai');
    assert.equal(defaultExportFolder('C:\\w\\repo\\.specializer\\runs\\r1', 'sharegpt'), 'C:\\w\\repo\\.specializer\\exports\\r1-sharegpt');
  });

  test('a proposal (or the old in-run default) follows the format; a folder the user chose stays', () => {
    const run = '/w/repo/.specializer/runs/r1';
    assert.ok(isProposedFolder('', run));
    assert.ok(isProposedFolder(`${run}/export`, run));
    assert.ok(isProposedFolder('/w/repo/.specializer/exports/r1-sera-xml', run));
    assert.ok(!isProposedFolder('/home/me/datasets/mine', run));
    assert.ok(!isProposedFolder('/w/repo/.specializer/exports/r1-sera-xml/sub', run));
  });
});

describe("the export's left-out reasons in words", () => {
  test('each reason has its words, with counts; a reason without words shows as it is', () => {
    assert.equal(removedText({ 'p1-too-large': 4, unverified: 2, 'below-threshold': 0, 'some-new-rule': 1 }), '4 P1 too large (stopped after rollout 1), 2 failed or unscored, 1 some-new-rule');
    assert.equal(removedText({}), '');
  });

  test('when only P1-too-large samples are in the way, the advice is the P1 line limit, not the threshold', () => {
    assert.match(nothingPassesAdvice({ 'p1-too-large': 6 }), /raise repoSpecializer\.generation\.maxP1Lines/);
    assert.equal(nothingPassesAdvice({ 'p1-too-large': 6, 'below-threshold': 2 }), 'Accept samples in the curation panel or lower the threshold.');
    assert.equal(nothingPassesAdvice({}), 'Accept samples in the curation panel or lower the threshold.');
  });
});
