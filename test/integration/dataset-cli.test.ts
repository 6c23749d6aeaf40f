import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeTempDir, removeDir, writeRun } from '../support/run-fixture';

const PROJECT = resolve(__dirname, '../..');
const tmp = makeTempDir('rs-export-cli-');
after(() => removeDir(tmp));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', join(PROJECT, 'src/cli/main.ts'), ...args], { cwd: PROJECT, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const runDir = writeRun(join(tmp, 'run'), {
  samples: [{ recall: 0.9, t1: { steps: 2 }, t2: { steps: 2 } }, { recall: 0.1, t1: { steps: 2 }, t2: { steps: 2 } }, { recall: 0.7, decision: 'rejected' }],
}).dir;

describe('specialize export', () => {
  it('exports, prints what it wrote and what it left out, and writes the layout', async () => {
    const out = join(tmp, 'out1');
    const r = await cli('export', runDir, '--out', out, '--format', 'sera-xml', '--think', 'wrap', '--workers', '0');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Exported 2 trajectories of 1 samples to .* \(sera-xml\): train 2\./);
    assert.match(r.stdout, /below-threshold\s+2/);
    assert.match(r.stdout, /rejected\s+2/);
    for (const f of ['data/train.jsonl', 'README.md', 'export.json', 'redactions.jsonl']) assert.ok(existsSync(join(out, f)), f);
    const options = (JSON.parse(readFileSync(join(out, 'export.json'), 'utf8')) as { options: Record<string, unknown> }).options;
    assert.equal(options.format, 'sera-xml');
    assert.equal(options.think, 'wrap');
  });

  it('--json prints the report; the flags reach the options', async () => {
    const r = await cli('export', runDir, '--out', join(tmp, 'out2'), '--json', '--threshold', '0', '--only-accepted', '--max-patch-lines', '0', '--max-tokens', '100000', '--validation', '0.4', '--no-dedupe', '--no-scrub', '--trajectories', 't2', '--workers', '0');
    assert.equal(r.code, 4, 'nothing accepted: nothing exported, exit 4');
    const report = JSON.parse(r.stdout) as { options: Record<string, unknown>; removedBy: Record<string, number> };
    assert.deepEqual(
      [report.options.threshold, report.options.onlyAccepted, report.options.maxPatchLines, report.options.maxTokens, report.options.validation, report.options.dedupe, report.options.scrub, report.options.trajectories],
      [0, true, 0, 100000, 0.4, false, false, 't2'],
    );
    assert.deepEqual(report.removedBy, { 'not-accepted': 2, rejected: 1 });
    assert.match(r.stderr, /nothing was exported/);
  });

  it('Ctrl+C stops the export: exit 130, one sentence, and nothing left in --out', async () => {
    const big = writeRun(join(tmp, 'big'), { samples: Array.from({ length: 400 }, (_, i) => ({ file: `m${i}.py`, qualifiedName: `f${i}`, t1: { steps: 3, toolOutputChars: 8000 }, t2: { steps: 3, toolOutputChars: 8000 } })) }).dir;
    const out = join(tmp, 'interrupted');
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT, 'src/cli/main.ts'), 'export', big, '--out', out, '--workers', '2'], { cwd: PROJECT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // The partial file appears once the export starts writing, well before the first row.
    while (!existsSync(join(out, 'data', 'train.jsonl.partial'))) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /^specialize: the export was stopped; nothing of it was left in .*interrupted\.\n$/);
    assert.equal(existsSync(out), false);
  });

  it('says in one sentence what is wrong with the input', async () => {
    const bad = await cli('export', runDir, '--out', join(tmp, 'x'), '--format', 'alpaca');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /argument 'alpaca' is invalid\. Allowed choices are sera-hermes, sera-xml, hf, openai, sharegpt, sharegpt-text/);
    const frac = await cli('export', runDir, '--out', join(tmp, 'x'), '--validation', '1.5');
    assert.match(frac.stderr, /--validation takes a number from 0 to below 1/);
    const missing = await cli('export', join(tmp, 'nope'), '--out', join(tmp, 'y'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^specialize: .*nope does not exist; give the path of a run directory .*\n$/);
    const truncate = await cli('export', runDir, '--out', join(tmp, 'z'), '--truncate', '--max-tokens', '0');
    assert.match(truncate.stderr, /Truncation needs a token budget; give --max-tokens N as well\./);
  });
});
