import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultExportRequest, parseHostMessage, parseWebviewMessage } from '../../src/protocol';
import { syntheticRows } from '../webview/support/run-fixture';

describe('webview -> host message validation', () => {
  it('accepts every well-formed message type', () => {
    const good: unknown[] = [
      { type: 'ready' },
      { type: 'openSample', id: 'a1b2c3d4e5f6' },
      { type: 'decide', ids: ['a1b2c3d4e5f6', '0123456789ab'], decision: 'accepted' },
      { type: 'note', id: 'a1b2c3d4e5f6', note: 'looks right' },
      { type: 'undo' },
      { type: 'openDiff', id: 'a1b2c3d4e5f6', mode: 'patches' },
      { type: 'openDiff', id: 'a1b2c3d4e5f6', mode: 'file-results', file: 'src/x.py' },
      { type: 'openTrajectory', id: 'a1b2c3d4e5f6', rollout: 2 },
      { type: 'openSource', id: 'a1b2c3d4e5f6' },
      { type: 'exportPreview', requestId: 3, options: defaultExportRequest('/runs/r1') },
      { type: 'exportRun', options: { ...defaultExportRequest('/runs/r1'), threshold: 0.7, format: 'sharegpt' } },
      { type: 'exportCancel' },
      { type: 'chooseExportFolder', current: '' },
      { type: 'reveal', path: '/tmp/out' },
      { type: 'log', level: 'warning', text: 'x' },
    ];
    for (const m of good) assert.deepEqual(parseWebviewMessage(m), { ok: true, message: m }, JSON.stringify(m));
  });

  it('rejects unknown types, wrong shapes and extra fields with a reason', () => {
    const bad: [unknown, RegExp][] = [
      [null, /should be an object/],
      ['ready', /should be an object/],
      [{}, /no string "type"/],
      [{ type: 'rm -rf' }, /unknown message type "rm -rf"/],
      [{ type: 'openSample' }, /openSample\.id should be a sample id/],
      [{ type: 'openSample', id: '../../etc/passwd' }, /sample id/],
      [{ type: 'openSample', id: '.hidden' }, /sample id/],
      [{ type: 'decide', ids: 'a1b2c3d4e5f6', decision: 'accepted' }, /ids should be an array/],
      [{ type: 'decide', ids: ['a1b2c3d4e5f6'], decision: 'maybe' }, /decision should be one of accepted, rejected, undecided/],
      [{ type: 'decide', ids: ['ok', 7], decision: 'accepted' }, /ids\[1\] should be a sample id/],
      [{ type: 'note', id: 'a1b2c3d4e5f6', note: 'x'.repeat(10_001) }, /note should have 0\.\.10000 characters/],
      [{ type: 'ready', extra: 1 }, /unknown field "extra"/],
      [{ type: 'openDiff', id: 'a1b2c3d4e5f6', mode: 'everything' }, /mode should be one of/],
      [{ type: 'openTrajectory', id: 'a1b2c3d4e5f6', rollout: 3 }, /rollout should be one of 1, 2/],
      [{ type: 'exportRun', options: { ...defaultExportRequest('/r'), maxTokens: -1 } }, /maxTokens should be in 0\.\./],
      [{ type: 'exportRun', options: { ...defaultExportRequest('/r'), threshold: 2 } }, /threshold should be in 0\.\.1/],
      [{ type: 'exportRun', options: { ...defaultExportRequest('/r'), outDir: '' } }, /outDir should have 1\.\./],
      [{ type: 'exportPreview', requestId: 1.5, options: defaultExportRequest('/r') }, /requestId should be an integer/],
      [{ type: 'exportRun', options: { ...defaultExportRequest('/r'), validation: Number.NaN } }, /validation should be a finite number/],
    ];
    for (const [m, reason] of bad) {
      const parsed = parseWebviewMessage(m);
      assert.equal(parsed.ok, false, JSON.stringify(m));
      if (!parsed.ok) assert.match(parsed.error, reason);
    }
  });
});

describe('host -> webview message validation', () => {
  it('accepts a realistic init of 20,000 rows', () => {
    const rows = syntheticRows(20_000, 5);
    const init = { type: 'init', run: { runDir: '/r', runId: 'r', repository: 'x', baseCommit: 'abc', model: 'm', threshold: 0.5, createdAt: '', planned: 20_000, finished: 20_000, pending: 0 }, rows, functionId: null, canUndo: false };
    const parsed = parseHostMessage(init);
    assert.equal(parsed.ok, true, parsed.ok ? '' : parsed.error);
    assert.equal(parsed.ok && parsed.message.type === 'init' && parsed.message.rows.length, 20_000);
  });

  it('rejects a row with a wrong field and names it', () => {
    const rows = syntheticRows(3, 1);
    (rows[2] as unknown as { recall: string }).recall = 'high';
    const parsed = parseHostMessage({ type: 'rows', rows });
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.error, /rows\.rows\[2\]\.recall should be a finite number/);
  });
});
