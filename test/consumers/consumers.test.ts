/**
 * The consumer suite: our exports fed to the tools people train with (datasets, transformers'
 * chat templates, TRL), in a Python virtualenv this suite makes (env.ts). The exports are made
 * by the `specialize export` command from a run directory written like `specialize generate`
 * writes one, so what is checked is what users get. Each check is a Python script in this
 * folder that prints one JSON result; the assertions are here.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FORMATS, type ExportFormat, type ExportReport } from '../../src/core/dataset';
import { TRL_SFT_CONFIG } from '../../src/core/dataset/recipes';
import { makeTempDir, removeDir, writeRun, type SampleSpec } from '../support/run-fixture';
import { prepareConsumerEnv, pythonEnv, type ConsumerEnv } from './env';

const PROJECT = resolve(__dirname, '../..');
const run = promisify(execFile);
const tmp = makeTempDir('rs-consumers-');
after(() => removeDir(tmp));

// Short trajectories with every shape the agent produces: reasoning or not, a failed edit and
// its retry, two calls in one turn, a turn without a call (answered by the nudge), the review round.
const step = { steps: 2, toolOutputChars: 240 };
const samples: SampleSpec[] = [
  { recall: 0.9, t1: { ...step, parallelCalls: true }, t2: { ...step, reasoning: false } },
  { recall: 0.8, file: 'shopkeeper/orders/models.py', qualifiedName: 'Order.total', t1: { ...step, failure: false }, t2: step },
  { recall: 0.7, file: 'shopkeeper/shipping/rates.py', qualifiedName: 'rate_for', t1: { ...step, reasoning: false }, t2: { ...step, parallelCalls: true } },
  { recall: 0.95, file: 'shopkeeper/customers/views.py', qualifiedName: 'CustomerView.get', t1: step, t2: step },
];

let env: ConsumerEnv;
let runDir: string;
const exports: Partial<Record<ExportFormat, { dir: string; report: ExportReport }>> = {};
const checkSeconds: Record<string, number> = {};

function cli(args: string[]): string {
  const bundled = join(PROJECT, 'dist', 'cli.js');
  const command = existsSync(bundled) ? [bundled] : ['--import', 'tsx', join(PROJECT, 'src', 'cli', 'main.ts')];
  return execFileSync(process.execPath, [...command, ...args], { cwd: PROJECT, encoding: 'utf8' });
}

async function python<T>(script: string, input: unknown): Promise<T> {
  const started = performance.now();
  const { stdout } = await run(env.python, [join(__dirname, script), JSON.stringify(input)], { cwd: __dirname, env: pythonEnv(), maxBuffer: 64 << 20 }).catch((error: { stderr?: string; message: string }) => {
    throw new Error(`${script} failed: ${(error.stderr ?? error.message).slice(-3000)}`);
  });
  checkSeconds[script] = Math.round((performance.now() - started) / 100) / 10;
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

before(() => {
  env = prepareConsumerEnv();
  runDir = writeRun(join(tmp, 'run'), { samples }).dir;
  for (const format of FORMATS) {
    const dir = join(tmp, format);
    const report = JSON.parse(cli(['export', runDir, '--out', dir, '--format', format, '--validation', '0.25', '--workers', '0', '--json'])) as ExportReport;
    exports[format] = { dir, report };
  }
});

after(() => {
  process.stderr.write(`consumer suite: setup ${JSON.stringify(env?.setupSeconds)} s; checks ${JSON.stringify(checkSeconds)} s\n`);
});

describe('exports as training stacks read them', () => {
  it('(a) datasets loads every format\'s folder with the row counts of the export report', async () => {
    const input = Object.fromEntries(FORMATS.map((f) => [f, { dir: exports[f]!.dir }]));
    const got = await python<Record<string, { splits?: Record<string, number>; features?: Record<string, string>; error?: string }>>('check_load.py', { exports: input });
    for (const format of FORMATS) {
      const { written } = exports[format]!.report;
      assert.ok(written.train > 0 && written.validation > 0, `${format}: the fixture gives both splits`);
      assert.deepEqual(got[format], { ...got[format], splits: { train: written.train, validation: written.validation } }, `${format}: ${got[format].error ?? ''}`);
    }
    assert.equal(got.hf.features!.train, 'List(Json(decode=True))', 'hf messages stay JSON, not a merged struct');
  });

  it('(b) every hf row renders through six real chat templates, each call in the template\'s syntax with object arguments', async () => {
    type Row = { id: string; status: string; error?: string; parallel?: boolean; problems?: string[]; calls?: number; left_out?: number };
    type Result = Record<string, { template: string; vocab: string; rows: Row[] }>;
    const got = await python<{ hf: Result; control: Result }>('check_templates.py', { hf: exports.hf!.dir, openai: exports.openai!.dir, templates: env.templates, tokenizers: env.tokenizers });
    const total = exports.hf!.report.written.total;
    for (const [name, result] of Object.entries(got.hf)) {
      assert.equal(result.rows.length, total, name);
      for (const row of result.rows) {
        // Llama 3.1's template refuses a turn of two calls by design ("only supports single tool-calls at once").
        if (name === 'Llama 3.1' && row.parallel) {
          assert.match(row.error ?? '', /single tool-calls/, `${name} ${row.id}`);
          continue;
        }
        assert.equal(row.status, 'ok', `${name} ${row.id}: ${row.error ?? row.problems?.join('; ')}`);
        assert.ok(row.calls! > 0);
        // gpt-oss's template prints only the first call of a turn; every other template prints them all.
        if (name !== 'gpt-oss') assert.equal(row.left_out, 0, `${name} ${row.id}`);
      }
    }
    assert.ok(got.hf['gpt-oss'].rows.some((r) => r.left_out! > 0), 'gpt-oss leaves out the second call of a parallel turn');
    assert.ok(got.hf['Llama 3.1'].rows.some((r) => r.status === 'ok') && got.hf['Llama 3.1'].rows.some((r) => r.parallel), 'the fixture has rows with and without parallel calls');
    // The control: string arguments (the openai format) raise or come out quoted in every one of these templates.
    for (const [name, result] of Object.entries(got.control)) {
      for (const row of result.rows) assert.notEqual(row.status, 'ok', `${name} ${row.id}: the openai export should not render cleanly`);
    }
  });

  it('(c) every <tool_call> block of the hermes and XML text formats parses back to the trajectory\'s call', async () => {
    const input = {
      run: runDir,
      exports: {
        'sera-hermes': { dir: exports['sera-hermes']!.dir, style: 'hermes' },
        'sera-xml': { dir: exports['sera-xml']!.dir, style: 'xml' },
        'sharegpt-text': { dir: exports['sharegpt-text']!.dir, style: 'hermes' },
      },
    };
    const got = await python<Record<string, { calls: number; mismatched: unknown[] }>>('check_text_calls.py', input);
    for (const [format, result] of Object.entries(got)) {
      assert.deepEqual(result.mismatched, [], format);
      assert.ok(result.calls > exports[format as ExportFormat]!.report.written.total, `${format}: ${result.calls} calls`);
    }
  });

  it('(d) TRL\'s SFTTrainer takes two steps on the hf export with a finite loss, on the assistant turns only', async () => {
    const maxLength = 1024;
    const got = await python<{ losses: number[]; finite: boolean; steps: number; swapped_template: boolean; trained_tokens: number; masked: string[]; unmasked: string[] }>('check_trl.py', {
      dir: exports.hf!.dir,
      tokenizer: join(env.tokenizers, 'qwen2'),
      template: join(env.templates, 'Qwen-Qwen2.5-7B-Instruct.jinja'),
      recipe: TRL_SFT_CONFIG,
      max_length: maxLength,
    });
    assert.equal(got.steps, 2);
    assert.ok(got.finite && got.losses.length === 2, `losses ${JSON.stringify(got.losses)}`);
    assert.ok(got.swapped_template, 'TRL put in its Qwen2.5 training template (with generation markers)');
    assert.ok(got.trained_tokens > 0);
    for (const text of got.masked) {
      // Trained: what the assistant wrote (its text, its calls, the end of its turn), never a prompt or a result.
      for (const never of ['<|im_start|>', '<tool_response>', '# Tools', 'Here is your task']) assert.ok(!text.includes(never), `the loss covers ${never}`);
    }
    assert.ok(got.masked.every((t) => t.includes('<tool_call>\n{"name": "')), 'the calls are trained');
    // Not trained: the prompt of every row, and the results (those that fall within max_length).
    assert.ok(got.unmasked.every((t) => t.includes('<|im_start|>system')) && got.unmasked.some((t) => t.includes('<tool_response>')), 'the prompt and the results are not');
  });

  it('(e) the sharegpt export is what LLaMA-Factory\'s sharegpt loader documents (llamafactory is not in the index)', async () => {
    const got = await python<{ entries: string[]; checked: { rows: number; calls: number; observations: number }; problems: string[] }>('check_llamafactory.py', { dir: exports.sharegpt!.dir, run: runDir });
    assert.deepEqual(got.problems, []);
    assert.deepEqual(got.entries, ['specialized', 'specialized_validation']);
    assert.equal(got.checked.rows, exports.sharegpt!.report.written.total);
    assert.ok(got.checked.calls > got.checked.rows && got.checked.observations > 0);
  });

  it('the card\'s OpenAI one-liner makes a file in the fine-tuning API\'s documented chat format', async () => {
    const dir = exports.openai!.dir;
    const card = readFileSync(join(dir, 'README.md'), 'utf8');
    const script = /```bash\n([\s\S]*?)```/.exec(card)?.[1];
    assert.ok(script, 'the openai card has the one-liner');
    execFileSync('bash', ['-c', script.replace(/\bpython3\b/, JSON.stringify(env.python))], { cwd: dir });
    const got = await python<{ lines: number; problems: string[] }>('check_openai.py', { file: join(dir, 'openai-train.jsonl') });
    assert.deepEqual(got.problems, []);
    assert.equal(got.lines, exports.openai!.report.written.train);
  });
});
