/**
 * What the export tests share: a scratch folder per file, an export of runs into a fresh folder
 * with its rows read back, and the small recorded run behind the golden files.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import type { Trajectory } from '../../src/core/agent/types';
import { exportDataset, type ExportOptions } from '../../src/core/dataset';
import { makeTempDir, removeDir, writeRun } from './run-fixture';

export const GOLDEN = resolve(__dirname, '../fixtures/dataset');
export const tmp = makeTempDir('rs-dataset-');
after(() => removeDir(tmp));

let counter = 0;
export function fresh(name: string): string {
  return join(tmp, `${name}-${counter++}`);
}

export function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function trajectoryOf(runDir: string, row: Record<string, unknown>): Trajectory {
  const which = row.trajectory === 't1' ? 'r1' : 'r2';
  return JSON.parse(readFileSync(join(runDir, 'trajectories', `${String(row.sample_id)}.${which}.json`), 'utf8')) as Trajectory;
}

export async function runExport(options: Partial<ExportOptions> & { runDirs: string[] }) {
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
export const golden = { dir: RECORDED };
