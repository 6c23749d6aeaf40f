import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readDecisions } from '../../src/core/store';
import { DecisionLog } from '../../src/extension/panel/decision-log';
import { JsonlTail } from '../../src/extension/panel/jsonl-tail';
import { buildRow, RunModel } from '../../src/extension/panel/run-model';
import { appendSample, writeRunFixture, type RunFixture } from '../webview/support/run-fixture';

describe('JsonlTail', () => {
  let fx: RunFixture;
  before(() => (fx = writeRunFixture({ samples: 0, repo: false })));
  after(() => fx.cleanup());

  it('returns only complete new lines, leaves a torn tail for later, and notices a replaced file', () => {
    const path = join(fx.root, 'x.jsonl');
    const tail = new JsonlTail(path);
    assert.deepEqual(tail.read(), { lines: [], reset: false }, 'a missing file is simply empty');
    writeFileSync(path, '{"a":1}\n{"b":');
    const first = tail.read();
    assert.deepEqual(first.lines.map((l) => l.text), ['{"a":1}']);
    assert.deepEqual(tail.read().lines, [], 'nothing new until the line is finished');
    appendFileSync(path, '2}\n{"ü":"é"}\n');
    const second = tail.read();
    assert.deepEqual(second.lines.map((l) => l.text), ['{"b":2}', '{"ü":"é"}']);
    assert.equal(second.lines[0].offset, 8, 'byte offsets let a line be read back later');
    writeFileSync(path, '{"new":1}\n');
    const third = tail.read();
    assert.equal(third.reset, true);
    assert.deepEqual(third.lines.map((l) => l.text), ['{"new":1}']);
  });
});

describe('RunModel', () => {
  let fx: RunFixture;
  before(() => (fx = writeRunFixture({ samples: 30, planned: 40, decided: 0.3 })));
  after(() => fx.cleanup());

  it('builds one compact row per finished sample with the latest decision and note', () => {
    const model = new RunModel(fx.runDir);
    const rows = model.allRows();
    assert.equal(rows.length, 30);
    const decisions = readDecisions(fx.runDir);
    for (const [i, record] of fx.records.entries()) {
      const row = rows[i];
      assert.deepEqual(row, buildRow(record, decisions.get(record.id)));
      assert.equal(row.id, record.id);
      assert.equal(row.recall, record.verification?.recall ?? null);
      assert.equal(row.status, record.status);
      assert.equal(row.tokens, record.usage.promptTokens + record.usage.completionTokens);
    }
    assert.equal(rows[0].decision, 'accepted');
    assert.equal(rows[0].note, 'Clean fix; the guard matches the PR.');
    assert.equal(rows[2].decision, 'rejected');
    assert.equal(rows[20].decision, 'undecided');
    assert.ok(rows.some((r) => r.status === 'failed' && r.stage), 'failed rows carry their stage');
    const info = model.info();
    assert.deepEqual([info.planned, info.finished, info.pending, info.runId, info.baseCommit], [40, 30, 10, 'fixture-run', fx.baseCommit]);
  });

  it('reads full records back by byte range, and picks up appended samples and decisions', () => {
    const model = new RunModel(fx.runDir);
    assert.deepEqual(model.record(fx.records[7].id), fx.records[7]);
    assert.equal(model.record('000000000000'), undefined);
    assert.deepEqual(model.poll(), { rows: [], decisions: [], reset: false });

    const added = appendSample(fx.runDir, 7, 30);
    appendFileSync(join(fx.runDir, 'decisions.jsonl'), `${JSON.stringify({ sampleId: fx.records[20].id, decision: 'rejected', note: 'off topic', at: 'x' })}\n{"sampleId": "torn`);
    const changes = model.poll();
    assert.deepEqual(changes.rows.map((r) => r.id).sort(), [added.id, fx.records[20].id].sort());
    assert.deepEqual(changes.decisions, [{ id: fx.records[20].id, decision: 'rejected', note: 'off topic' }]);
    assert.equal(model.row(fx.records[20].id)?.note, 'off topic');
    assert.deepEqual(model.record(added.id), added);
    assert.equal(model.info().pending, 9);
  });
});

describe('DecisionLog', () => {
  let fx: RunFixture;
  before(() => (fx = writeRunFixture({ samples: 12, repo: false })));
  after(() => fx.cleanup());

  it('appends decisions (keeping notes), undoes whole actions, and never rewrites the file', () => {
    const model = new RunModel(fx.runDir);
    const log = new DecisionLog(model, () => new Date('2026-11-25T10:00:00.000Z'));
    const [a, b, c] = fx.records.map((r) => r.id);
    assert.equal(log.canUndo, false);
    assert.deepEqual(log.setNote(a, 'check the guard'), [{ id: a, decision: 'undecided', note: 'check the guard' }]);
    assert.deepEqual(log.decide([a], 'accepted'), [{ id: a, decision: 'accepted', note: 'check the guard' }]);
    assert.deepEqual(log.decide([a], 'accepted'), [], 'the same decision again writes nothing');
    const bulk = log.decide([b, c, a, 'notasample00', b], 'rejected');
    assert.deepEqual(bulk.map((x) => x.id), [b, c, a], 'unknown and repeated ids are skipped');
    let latest = readDecisions(fx.runDir);
    assert.deepEqual([latest.get(a)?.decision, latest.get(a)?.note, latest.get(b)?.decision], ['rejected', 'check the guard', 'rejected']);

    assert.deepEqual(log.undo(), [
      { id: b, decision: 'undecided', note: '' },
      { id: c, decision: 'undecided', note: '' },
      { id: a, decision: 'accepted', note: 'check the guard' },
    ]);
    latest = readDecisions(fx.runDir);
    assert.deepEqual([latest.get(a)?.decision, latest.get(b)?.decision, latest.get(c)?.decision], ['accepted', 'undecided', 'undecided']);
    log.undo();
    log.undo();
    assert.equal(readDecisions(fx.runDir).get(a)?.note, undefined, 'undoing the note clears it');
    assert.equal(log.undo(), null);
    const lines = readFileSync(join(fx.runDir, 'decisions.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1 + 1 + 3 + 3 + 1 + 1, 'every change and every undo is one appended line');
    assert.equal(JSON.parse(lines[0]).at, '2026-11-25T10:00:00.000Z');
    assert.equal(model.poll().decisions.length, 0, 'its own lines are not reported back as outside changes');
  });
});
