import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { exportDataset } from '../../src/core/dataset';
import { EvalError, readEvalState, runEval, runTasks } from '../../src/core/eval';
import { generate } from '../../src/core/generation';
import { readJsonl, type SampleRecord } from '../../src/core/store';
import { evalModel } from '../support/eval-models';
import { makeRepo } from '../support/fixture-repo';
import { useScriptedTeachers } from '../support/scripted-teacher';
import { svgTeacher } from '../support/svg-teacher';

const serve = useScriptedTeachers();
const scratch = mkdtempSync(join(tmpdir(), 'eval-runs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('eval tasks from generation runs', () => {
  test("the held-out tasks are exactly the export's validation samples, and both record the same split", async () => {
    const files: Record<string, string> = { 'README.md': '# fixture\n' };
    for (let i = 0; i < 10; i++) files[`app/m${i}.py`] = `def reproduce_m${i}_total(items):\n    result = 0\n    for item in items:\n        result += item\n    return result\n`;
    const repo = await makeRepo(files);
    const teacher = await serve(svgTeacher());
    const run = join(scratch, 'run');
    await generate({ repo: repo.root, out: run, teacher: { baseUrls: [teacher.url], model: 'test-model', maxRetries: 0 }, samples: 10, concurrency: 4, maxSteps: 4, sandbox: 'host', seed: 'eval' });
    const samples = readJsonl<SampleRecord>(join(run, 'samples.jsonl'));
    assert.equal(samples.filter((s) => s.status === 'verified').length, 10);

    const exported = join(scratch, 'dataset');
    await exportDataset({ runDirs: [run], out: exported, validation: 0.3, workers: 0 });
    const exportJson = JSON.parse(readFileSync(join(exported, 'export.json'), 'utf8')) as { split: { fraction: number; functions: number; heldOut: string[] } };
    assert.equal(exportJson.split.functions, 10);
    assert.equal(exportJson.split.heldOut.length, 3);
    const sampleIds = (file: string) => new Set(readFileSync(join(exported, 'data', file), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { sample_id?: string; metadata?: { sample_id: string } }).sample_id ?? (JSON.parse(l) as { metadata: { sample_id: string } }).metadata.sample_id));
    const validation = sampleIds('validation.jsonl');
    const train = sampleIds('train.jsonl');

    const known = samples.map((s) => ({ statement: s.syntheticPr!.text, reference: s.rollout1!.patch }));
    const oracle = await serve(evalModel('oracle', known), { models: ['student'] });
    const out = join(scratch, 'eval');
    const summary = await runEval({ repo: repo.root, out, tasks: { runs: { runDirs: [run], split: exported } }, models: [{ label: 'student', model: 'student', baseUrls: [oracle.url] }], sandbox: 'host', maxSteps: 3 });
    assert.equal(summary.stoppedBy, 'completed');
    const state = readEvalState(out);
    const evalIds = new Set(state.tasks.map((t) => (t.origin.kind === 'run' ? t.origin.sampleId : '')));
    assert.deepEqual([...evalIds].sort(), [...validation].sort());
    for (const id of evalIds) assert.ok(!train.has(id), `${id} is trained on and evaluated`);
    assert.deepEqual(state.manifest.source.split?.heldOut, exportJson.split.heldOut);
    assert.equal(state.manifest.source.split?.export, exported);
    for (const t of state.tasks) {
      assert.equal(t.baseCommit, repo.git('rev-parse', 'HEAD').trim());
      const r = state.results.get(`${t.id}\u0000student`)!;
      assert.equal(r.score?.recall, 1);
      assert.equal(r.resolved, true);
    }

    // Without the export, the same fraction computes the same split.
    const computed = await runTasks({ runDirs: [run], validation: 0.3 });
    assert.deepEqual(computed.split.heldOut, exportJson.split.heldOut);
    assert.equal(computed.split.export, null);
    await assert.rejects(runTasks({ runDirs: [run] }), (e: Error) => e instanceof EvalError && /--split EXPORT_DIR/.test(e.message));
    await assert.rejects(runTasks({ runDirs: [run], split: run }), /not an export folder/);
    await repo.cleanup();
  });
});
