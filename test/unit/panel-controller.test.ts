import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readDecisions } from '../../src/core/store';
import { PanelController, type PanelPorts } from '../../src/extension/panel/controller';
import { datasetExporter } from '../../src/extension/panel/export-bridge';
import { RunWatcher } from '../../src/extension/panel/run-watcher';
import type { DiffPlan } from '../../src/extension/panel/virtual-documents';
import { defaultExportRequest } from '../../src/protocol';
import { HostPosts } from '../support/host-posts';
import { appendSample, writeRunFixture, type RunFixture } from '../webview/support/run-fixture';

class Recorder extends HostPosts implements PanelPorts {
  logs: string[] = [];
  diffs: DiffPlan[] = [];
  opened: [string, number | undefined][] = [];
  revealed: string[] = [];
  folder: string | undefined = '/tmp/chosen';
  log = (line: string) => void this.logs.push(line);
  showDiff = async (plan: DiffPlan) => void this.diffs.push(plan);
  openFile = async (path: string, line?: number) => void this.opened.push([path, line]);
  reveal = async (path: string) => void this.revealed.push(path);
  chooseFolder = async () => this.folder;
}

describe('PanelController', () => {
  let fx: RunFixture;
  before(() => (fx = writeRunFixture({ samples: 20, planned: 25, decided: 0.2 })));
  after(() => fx.cleanup());

  it('answers ready with the run and its rows, once with the function filter it was opened for', async () => {
    const ports = new Recorder();
    const c = new PanelController(fx.runDir, ports, { functionId: 'inventory/pricing.py\0line_total' });
    await c.receive({ type: 'ready' });
    const init = ports.last('init');
    assert.equal(init.rows.length, 20);
    assert.equal(init.run.pending, 5);
    assert.equal(init.functionId, 'inventory/pricing.py\0line_total');
    await c.receive({ type: 'ready' });
    assert.equal(ports.last('init').functionId, null, 'a reloaded webview keeps its own filters');
    c.focusFunction('x');
    assert.deepEqual(ports.last('focusFunction'), { type: 'focusFunction', functionId: 'x' });
    c.dispose();
  });

  it('logs and ignores malformed messages without answering them', async () => {
    const ports = new Recorder();
    const c = new PanelController(fx.runDir, ports);
    for (const bad of [null, 42, { type: 'decide', ids: ['../../x'], decision: 'accepted' }, { type: 'openSample', id: 'a', extra: true }, { type: 'shell', cmd: 'ls' }]) await c.receive(bad);
    assert.equal(ports.posted.length, 0);
    assert.equal(ports.logs.length, 5);
    assert.match(ports.logs[4], /ignored a message from the webview: unknown message type "shell"/);
    assert.equal(readDecisions(fx.runDir).size, 4, 'nothing was written');
    c.dispose();
  });

  it('loads a detail on demand, writes decisions and notes, and undoes them', async () => {
    const ports = new Recorder();
    const c = new PanelController(fx.runDir, ports);
    const target = fx.records[10];
    await c.receive({ type: 'openSample', id: target.id });
    const detail = ports.last('detail').detail;
    assert.equal(detail.id, target.id);
    assert.equal(detail.canShowFiles, true, 'the base commit is in the repository holding the run');
    assert.deepEqual(detail.verification?.matchMap, target.verification?.matchMap ?? undefined);
    await c.receive({ type: 'openSample', id: 'ffffffffffff' });
    assert.match(ports.last('detailError').message, /not in this run/);

    await c.receive({ type: 'decide', ids: [target.id, fx.records[11].id], decision: 'accepted' });
    assert.deepEqual(ports.last('decisions'), { type: 'decisions', canUndo: true, changes: [{ id: target.id, decision: 'accepted', note: '' }, { id: fx.records[11].id, decision: 'accepted', note: '' }] });
    await c.receive({ type: 'note', id: target.id, note: 'good one' });
    assert.equal(readDecisions(fx.runDir).get(target.id)?.note, 'good one');
    assert.equal(readDecisions(fx.runDir).get(target.id)?.decision, 'accepted');
    await c.receive({ type: 'undo' });
    await c.receive({ type: 'undo' });
    assert.equal(readDecisions(fx.runDir).get(target.id)?.decision, 'undecided');
    await c.receive({ type: 'undo' });
    assert.match(ports.last('notice').text, /Nothing to undo/);
    c.refresh();
    assert.equal(ports.posted.filter((m) => m.type === 'rows').length, 0, 'its own writes come back as no change');
    c.dispose();
  });

  it('opens diffs, trajectories and sources through its ports', async () => {
    const ports = new Recorder();
    const c = new PanelController(fx.runDir, ports);
    const r = fx.records.find((x) => x.status !== 'failed')!;
    await c.receive({ type: 'openDiff', id: r.id, mode: 'file-p1', file: r.function.file });
    assert.deepEqual([ports.diffs[0].left.part, ports.diffs[0].right.part, ports.diffs[0].left.base], ['before', 'after', fx.baseCommit]);
    await c.receive({ type: 'openDiff', id: r.id, mode: 'patches' });
    assert.deepEqual([ports.diffs[1].left.part, ports.diffs[1].right.part, ports.diffs[1].left.file], ['after', 'after', r.function.file]);
    assert.match(ports.diffs[1].title, new RegExp(`^${r.function.qualifiedName.replace('.', '\\.')}: `));
    await c.receive({ type: 'openTrajectory', id: r.id, rollout: 2 });
    assert.equal(ports.opened[0][0], join(fx.runDir, 'trajectories', `${r.id}.r2.json`));
    await c.receive({ type: 'openSource', id: r.id });
    assert.ok(ports.opened[1][0].endsWith(r.function.file));
    assert.equal(ports.opened[1][1], r.function.startLine);
    await c.receive({ type: 'chooseExportFolder', current: '' });
    assert.deepEqual(ports.last('exportFolder'), { type: 'exportFolder', path: '/tmp/chosen' });
    await c.receive({ type: 'reveal', path: '/tmp/out' });
    assert.deepEqual(ports.revealed, ['/tmp/out']);
    c.dispose();
  });

  it('previews and runs an export with the dataset exporter, reporting progress', async () => {
    const ports = new Recorder();
    const c = new PanelController(fx.runDir, ports, { exporter: datasetExporter });
    const options = { ...defaultExportRequest(fx.runDir), outDir: join(fx.root, 'dataset') };
    await c.receive({ type: 'exportPreview', requestId: 7, options });
    const preview = ports.last('exportPreview');
    assert.equal(preview.requestId, 7);
    assert.ok(preview.selected > 0 && preview.selected <= preview.total);
    assert.equal(preview.total, preview.selected + Object.values(preview.removedBy).reduce((a, b) => a + b, 0));
    await c.receive({ type: 'exportRun', options });
    const done = ports.last('exportDone');
    assert.equal(done.trajectories, preview.selected, 'the export writes what the preview counted');
    assert.equal(done.samples, preview.samples);
    assert.ok(existsSync(join(fx.root, 'dataset', 'data', 'train.jsonl')));
    assert.ok(done.files.includes('README.md'));
    assert.ok(ports.posted.some((m) => m.type === 'exportProgress'));
    await c.receive({ type: 'exportRun', options });
    assert.match(ports.last('exportError').message, /already holds an export/);
    c.dispose();
  });

  it('says so when no exporter is wired', async () => {
    const ports = new Recorder();
    const c = new PanelController(fx.runDir, ports);
    await c.receive({ type: 'exportPreview', requestId: 1, options: defaultExportRequest(fx.runDir) });
    assert.match(ports.last('exportPreviewError').message, /not available/);
    c.dispose();
  });

  it('pushes samples a running generation appends, through the run watcher', async () => {
    const ports = new Recorder();
    const c = new PanelController(fx.runDir, ports);
    await c.receive({ type: 'ready' });
    const watcher = new RunWatcher(fx.runDir, () => c.refresh(), 20, 500);
    try {
      const added = appendSample(fx.runDir, 7, 20);
      const deadline = Date.now() + 5_000;
      while (!ports.posted.some((m) => m.type === 'rows') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      assert.deepEqual(ports.last('rows').rows.map((r) => r.id), [added.id]);
      assert.equal(ports.last('run').run.finished, 21);
      assert.equal(ports.last('run').run.pending, 4);
    } finally {
      watcher.dispose();
      c.dispose();
    }
  });
});
