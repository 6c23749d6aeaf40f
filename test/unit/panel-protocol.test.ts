import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultExportRequest, parseHostMessage, parseWebviewMessage, sampleColumns } from '../../src/protocol';
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
    const init = { type: 'init', run: { runDir: '/r', runId: 'r', repository: 'x', baseCommit: 'abc', model: 'm', threshold: 0.5, createdAt: '', planned: 20_000, finished: 20_000, pending: 0 }, rows: sampleColumns(rows), functionId: null, canUndo: false };
    const parsed = parseHostMessage(init);
    assert.equal(parsed.ok, true, parsed.ok ? '' : parsed.error);
    assert.deepEqual(parsed.ok && parsed.message.type === 'init' && parsed.message.rows, rows, 'the columns become the same rows again');
  });

  it('gives back rows without the optional fields they did not have', () => {
    const rows = syntheticRows(40, 2);
    rows[3] = { ...rows[3], note: 'keep this one', status: 'failed', stage: 'rollout1' };
    delete rows[4].note;
    delete rows[4].stage;
    const parsed = parseHostMessage(JSON.parse(JSON.stringify({ type: 'rows', rows: sampleColumns(rows) })));
    assert.ok(parsed.ok && parsed.message.type === 'rows', parsed.ok ? '' : parsed.error);
    assert.deepEqual(parsed.message.rows, rows);
    assert.equal('note' in parsed.message.rows[4], false);
    assert.equal(parsed.message.rows[3].stage, 'rollout1');
  });

  it('rejects columns of different lengths, unknown columns and a missing one', () => {
    const columns = sampleColumns(syntheticRows(3, 1));
    const cases: [unknown, RegExp][] = [
      [{ ...columns, fn: columns.fn.slice(0, 2) }, /rows\.rows should have columns of one length/],
      [{ ...columns, extra: [1, 2, 3] }, /rows\.rows has an unknown field "extra"/],
      [{ ...columns, id: undefined }, /rows\.rows\.id should be an array/],
      [syntheticRows(3, 1), /rows\.rows should be an object/],
    ];
    for (const [rows, expected] of cases) {
      const parsed = parseHostMessage({ type: 'rows', rows });
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, expected);
    }
  });

  it('rejects a row with a wrong field and names it', () => {
    const rows = syntheticRows(3, 1);
    (rows[2] as unknown as { recall: string }).recall = 'high';
    const parsed = parseHostMessage({ type: 'rows', rows: sampleColumns(rows) });
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.error, /rows\.rows\.recall\[2\] should be a finite number/);
  });
});
