// The export's split, its folder's layout and what it keeps private (split from dataset-export.test.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { exportDataset } from '../../src/core/dataset';
import { defaultExportFolder } from '../../src/extension/view-models/export-folder';
import { withRepo } from '../support/fixture-repo';
import { fresh, golden, lines, runExport as run, tmp } from '../support/dataset-export-run';
import { writeRun, type SampleSpec } from '../support/run-fixture';

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
