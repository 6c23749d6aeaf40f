import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { changedLines } from '../../src/core/verify';
import { buildSampleDetail, trajectoryFile } from '../../src/extension/panel/detail';
import { findBaseRepository, fileVersions } from '../../src/extension/panel/file-versions';
import { panelCsp, renderPanelHtml } from '../../src/extension/panel/html';
import { buildPatchView, patchSectionOf } from '../../src/extension/panel/patch-view';
import { buildTrajectoryView, CLIP } from '../../src/extension/panel/trajectory-view';
import { documentText, parseDocRef, planDiff } from '../../src/extension/panel/virtual-documents';
import { parseHostMessage } from '../../src/protocol';
import { CORPUS } from '../webview/support/corpus';
import { bigSample, gitDiff, writeRunFixture, type RunFixture } from '../webview/support/run-fixture';

describe('buildPatchView', () => {
  it("numbers changed lines exactly as the verify module's changedLines does", () => {
    // Blank changed lines, a removed line starting with "--" and an added one with "++" are the traps.
    const patch = [
      'diff --git a/a.py b/a.py',
      '--- a/a.py',
      '+++ b/a.py',
      '@@ -1,5 +1,6 @@',
      ' def f(x):',
      '--- x is checked below',
      '+++i',
      '+',
      '-    return x',
      '+    return x + 1',
      ' ',
      ' # end',
      'diff --git a/b/c.ts b/b/c.ts',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/b/c.ts',
      '@@ -0,0 +1,2 @@',
      '+export const c = 1;',
      '+   ',
      '',
    ].join('\n');
    const view = buildPatchView(patch);
    const expected = changedLines(patch);
    assert.equal(view.changed, expected.length);
    const marked = view.files.flatMap((f) => f.lines.filter((l) => l.c !== undefined).map((l) => ({ file: f.path, sign: l.k === 'add' ? '+' : '-', text: l.t, c: l.c })));
    assert.deepEqual(marked, expected.map((l) => ({ file: l.file, sign: l.sign, text: l.text, c: l.index })));
    assert.deepEqual(view.files.map((f) => [f.path, f.status]), [['a.py', 'modified'], ['b/c.ts', 'added']]);
    const blank = view.files[0].lines.find((l) => l.k === 'add' && l.t === '');
    assert.ok(blank && blank.c === undefined, 'a blank added line is shown but is not a changed line');
    assert.deepEqual(view.files[0].lines.find((l) => l.t === '    return x + 1'), { k: 'add', t: '    return x + 1', n: 4, c: 3 });
  });

  it('keeps the indices right on a 500-line patch and reports an unparsable patch with its text', () => {
    const big = bigSample(500);
    const view = buildPatchView(big.rollout1!.patch);
    const expected = changedLines(big.rollout1!.patch);
    const lines = view.files.flatMap((f) => f.lines);
    assert.ok(lines.length > 450, `${lines.length} lines`);
    for (const l of lines) if (l.c !== undefined) assert.equal(`${l.k === 'add' ? '+' : '-'}${l.t}`, `${expected[l.c].sign}${expected[l.c].text}`);
    assert.equal(lines.filter((l) => l.c !== undefined).length, expected.length);

    const broken = buildPatchView('--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n-a\n');
    assert.ok(broken.error);
    assert.equal(broken.raw, '--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n-a\n');
  });

  it("cuts one file's section out of a multi-file patch", () => {
    const a = gitDiff('inventory/orders.py', CORPUS['inventory/orders.py'], CORPUS['inventory/orders.py'].replace('time.time()', 'time.monotonic()'));
    const b = gitDiff('inventory/pricing.py', CORPUS['inventory/pricing.py'], CORPUS['inventory/pricing.py'].replace('100 - percent', '100 - min(percent, 100)'));
    assert.equal(patchSectionOf(a + b, 'inventory/pricing.py'), b);
    assert.equal(patchSectionOf(a + b, 'inventory/orders.py'), a);
    assert.equal(patchSectionOf(a + b, 'nope.py'), '');
  });
});

describe('buildTrajectoryView', () => {
  it('groups messages into steps with their outputs, stats and clipping', () => {
    const long = 'x'.repeat(CLIP.output + 250);
    const view = buildTrajectoryView(
      {
        task: 'Fix it',
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'user', content: 'Fix it' },
          { role: 'assistant', content: 'Looking.', reasoning_content: 'hmm', tool_calls: [{ id: '1', type: 'function', function: { name: 'str_replace_editor', arguments: '{"command":"view","path":"/testbed/a.py"}' } }] },
          { role: 'tool', tool_call_id: '1', content: long },
          { role: 'assistant', content: null, tool_calls: [{ id: '2', type: 'function', function: { name: 'bash', arguments: '{not json' } }] },
          { role: 'tool', tool_call_id: '2', content: 'ok' },
          { role: 'assistant', content: 'Done.' },
        ],
        steps: [{ step: 1, teacherMs: 1000, toolMs: 5, promptTokens: 100, completionTokens: 20 }, { step: 2, teacherMs: 500, toolMs: 10, promptTokens: 150, completionTokens: 5 }],
        usage: { promptTokens: 250, completionTokens: 25 },
        exit: { status: 'submitted' },
        ms: 1600,
      },
      1,
    );
    assert.equal(view.steps.length, 3);
    assert.deepEqual(view.steps[0].calls, [{ name: 'str_replace_editor', args: '{\n  "command": "view",\n  "path": "/testbed/a.py"\n}' }]);
    assert.equal(view.steps[0].reasoning, 'hmm');
    assert.deepEqual([view.steps[0].outputs[0].text.length, view.steps[0].outputs[0].clipped], [CLIP.output, 250]);
    assert.deepEqual([view.steps[0].tokens, view.steps[0].ms], [120, 1005]);
    assert.equal(view.steps[1].calls[0].args, '{not json', 'arguments that are not JSON are shown as written');
    assert.deepEqual([view.steps[2].tokens, view.steps[2].ms, view.steps[2].text], [null, null, 'Done.']);
    assert.deepEqual(view.exit, { status: 'submitted' });
    assert.deepEqual(view.tokens, { prompt: 250, completion: 25 });
  });

  it('never lets a record point outside the run directory', () => {
    assert.equal(trajectoryFile('/runs/r', 'trajectories/a.r1.json'), '/runs/r/trajectories/a.r1.json');
    assert.equal(trajectoryFile('/runs/r', '../../etc/passwd'), null);
    assert.equal(trajectoryFile('/runs/r', '/etc/passwd'), null);
    assert.equal(trajectoryFile('/runs/r', ''), null);
  });
});

describe('sample detail and diff documents on a real run', () => {
  let fx: RunFixture;
  before(() => (fx = writeRunFixture({ samples: 24 })));
  after(() => fx.cleanup());

  it('builds a detail the webview accepts, for every kind of sample', () => {
    for (const record of fx.records) {
      const detail = buildSampleDetail(fx.runDir, record, undefined, true);
      const parsed = parseHostMessage({ type: 'detail', detail });
      assert.equal(parsed.ok, true, parsed.ok ? '' : parsed.error);
      assert.equal(detail.p1?.changed ?? 0, record.verification?.p1Lines ?? detail.p1?.changed ?? 0);
      assert.equal(detail.trajectories[0]?.steps.length, record.rollout1!.steps);
      if (record.status === 'failed') assert.deepEqual(detail.failure, record.failure);
    }
    const missing = { ...fx.records[0], rollout1: { ...fx.records[0].rollout1!, trajectory: 'trajectories/gone.json' } };
    assert.match(buildSampleDetail(fx.runDir, missing, undefined, false).trajectories[0]?.error ?? '', /Rollout 1: the trajectory file is missing/);
  });

  it('reconstructs a file before and after each patch from the base commit', async () => {
    const repo = await findBaseRepository(fx.runDir, fx.baseCommit);
    assert.ok(repo && fx.repo.endsWith(repo.split('/').pop()!), `found ${repo}`);
    assert.equal(await findBaseRepository(fx.runDir, 'f'.repeat(40)), null, 'an unknown base commit is not found');
    const record = fx.records.find((r) => r.status !== 'failed')!;
    const file = record.function.file;
    const versions = await fileVersions(repo!, fx.baseCommit, record.rollout1!.patch, file);
    assert.equal(versions?.before, CORPUS[file]);
    assert.equal(gitDiff(file, versions!.before, versions!.after), record.rollout1!.patch, 'applying P1 to the base gives a file whose diff is P1 again');

    const plan = planDiff(fx.runDir, record.id, 'file-results', file, repo, fx.baseCommit);
    assert.deepEqual([plan.left.part, plan.left.rollout, plan.right.part, plan.right.rollout], ['after', 1, 'after', 2]);
    const left = await documentText(parseDocRef(JSON.stringify(plan.left))!);
    assert.equal(left, versions!.after);
    // "P1 ↔ P2" compares the file as each patch leaves it, titled with the function's name.
    const subject = { qualifiedName: record.function.qualifiedName, files: [file] };
    const patches = planDiff(fx.runDir, record.id, 'patches', undefined, repo, fx.baseCommit, subject);
    assert.deepEqual([patches.left.part, patches.right.part, patches.left.file, patches.files], ['after', 'after', file, undefined]);
    assert.equal(await documentText(patches.left), versions!.after);
    assert.equal(await documentText(patches.right), (await fileVersions(repo!, fx.baseCommit, record.rollout2!.patch, file))!.after);
    assert.match(patches.title, new RegExp(`^${record.function.qualifiedName.replace('.', '\\.')}: after P1 ↔ after P2`));
    const two = planDiff(fx.runDir, record.id, 'patches', undefined, repo, fx.baseCommit, { ...subject, files: [file, 'other.py'] });
    assert.deepEqual(two.files?.map((f) => [f.path, f.left.part, f.left.rollout, f.right.rollout]), [[file, 'after', 1, 2], ['other.py', 'after', 1, 2]]);
    const text = planDiff(fx.runDir, record.id, 'patches', undefined, null, fx.baseCommit, subject);
    assert.equal(await documentText(text.right), record.rollout2!.patch, 'without the base commit the patch texts are compared');
    const noRepo = planDiff(fx.runDir, record.id, 'file-p1', file, null, fx.baseCommit);
    assert.equal(noRepo.left.part, 'section', 'without the base commit the patch text of the file is compared');
    assert.equal(await documentText(noRepo.left), patchSectionOf(record.rollout1!.patch, file));
  });

  it('refuses document references it did not make', () => {
    const ok = { runDir: fx.runDir, id: fx.records[0].id, rollout: 1, part: 'before', file: 'a.py', repo: fx.repo, base: fx.baseCommit };
    assert.ok(parseDocRef(JSON.stringify(ok)));
    assert.equal(parseDocRef('not json'), null);
    assert.equal(parseDocRef(JSON.stringify({ ...ok, base: '--output=/tmp/x' })), null);
    assert.equal(parseDocRef(JSON.stringify({ ...ok, file: '--help' })), null);
    assert.equal(parseDocRef(JSON.stringify({ ...ok, id: '../x' })), null);
    assert.equal(parseDocRef(JSON.stringify({ ...ok, part: 'shell' })), null);
  });
});

describe('panel HTML', () => {
  it('allows scripts only by nonce and loads nothing remote or inline', () => {
    const html = renderPanelHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'abc123', scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/media/panel.css', title: 'Curation: <run>' });
    const csp = panelCsp('https://file+.vscode-resource.vscode-cdn.net', 'abc123');
    assert.ok(html.includes(`content="${csp}"`));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.match(html, /<meta property="csp-nonce" content="abc123">/);
    assert.equal((html.match(/<script /g) ?? []).length, 1);
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\/dist\/webview.js"><\/script>/);
    assert.match(html, /<title>Curation: &lt;run&gt;<\/title>/);
  });
});
