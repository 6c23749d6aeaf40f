/**
 * The proof inside real VS Code: code-server 4.100.3 with the packaged extension, driven in
 * headless Chromium as a user would, against the scripted teacher on localhost.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { startScriptedTeacher, type ScriptedTeacher } from '../support/scripted-teacher';
import { svgTeacher } from '../support/svg-teacher';
import { makeEvalFixture, type EvalFixture } from '../support/eval-fixture';
import type { FixtureRepo } from '../support/fixture-repo';
import { ensureCodeServer, startCodeServer, type CodeServer } from './support/code-server';
import { makeE2eRepo } from './fixture';

const ROOT = resolve(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
const SAMPLES = 4;

let browser: Browser;
let page: Page;
let server: CodeServer;
let teacher: ScriptedTeacher;
let repo: FixtureRepo;
let evalRun: EvalFixture;
let base: string;
let refsBefore: string;
let shot = 0;

function log(line: string): void {
  process.stderr.write(`[e2e] ${line}\n`);
}

async function screenshot(name: string): Promise<void> {
  shot++;
  await page.screenshot({ path: join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`) });
}

function repoState(): string {
  return [repo.git('for-each-ref'), repo.git('rev-parse', 'HEAD'), repo.git('stash', 'list'), repo.git('status', '--porcelain', '--ignored=no'), repo.git('worktree', 'list', '--porcelain').split('\n')[0]].join('\n--\n');
}

async function palette(command: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${command}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Answers the quick input that is open: a value for an input box, or the item to pick. With a
 * step title it first waits for that step, since the previous step's widget can still be on
 * screen for a moment after Enter, and typing into it would answer the wrong question.
 */
async function answer(text: string, pick?: string, step?: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (step) await widget.locator('.quick-input-title', { hasText: step }).waitFor({ state: 'visible', timeout: 30_000 });
  const input = widget.locator('input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  if (pick) await page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function notification(text: RegExp, timeout = 60_000): Promise<string> {
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout });
  return (await toast.textContent()) ?? '';
}

function panelFrame(): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

function runDir(): string {
  const runs = join(repo.root, '.specializer', 'runs');
  const names = readdirSync(runs);
  assert.equal(names.length, 1, `expected one run, found ${names.join(', ')}`);
  return join(runs, names[0]);
}

describe('Repo Specializer inside VS Code (code-server)', { timeout: 9 * 60_000 }, () => {
  before(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const bin = ensureCodeServer(log);
    log('packaging the extension');
    execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    base = mkdtempSync(join(tmpdir(), 'rs-e2e-'));
    const extensions = join(base, 'extensions');
    const userData = join(base, 'user-data');
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off' }, null, 2));
    execFileSync(bin, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', join(ROOT, 'repo-specializer.vsix')], { stdio: ['ignore', 'pipe', 'pipe'] });
    teacher = await startScriptedTeacher(svgTeacher());
    repo = await makeE2eRepo();
    // An eval run (runEval against scripted models on a repository of its own), where the Evals view finds it.
    evalRun = await makeEvalFixture();
    cpSync(evalRun.evalDir, join(repo.root, '.specializer', 'evals', 'eval-e2e'), { recursive: true });
    refsBefore = repoState();
    server = await startCodeServer(bin, { extensionsDir: extensions, userDataDir: userData, folder: repo.root });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(repo.root)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  });

  after(async (t) => {
    const failed = (t as unknown as { passed?: boolean }).passed === false;
    try {
      if (page) await screenshot('last');
    } catch {
      // the browser may be gone
    }
    if (server) writeFileSync(join(ARTIFACTS, 'code-server.log'), server.log());
    await browser?.close();
    await server?.stop();
    await teacher?.close();
    await repo?.cleanup();
    await evalRun?.cleanup();
    if (base && !failed) rmSync(base, { recursive: true, force: true });
  });

  test('a user scans, configures the teacher, generates, curates, exports and sees the CodeLens', async () => {
    // Trust the workspace from the dialog VS Code shows for a new folder.
    await page.getByRole('button', { name: 'Yes, I trust the authors' }).click({ timeout: 60_000 });
    await screenshot('trusted');

    // Scan, then the Functions view lists what the scan found.
    await palette('Repo Specializer: Scan Workspace Functions');
    await notification(/12 functions in 4 files/);
    const functionsView = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Functions' }) });
    await functionsView.locator('.monaco-list-row', { hasText: 'shop' }).first().locator('.monaco-tl-twistie').click();
    await functionsView.locator('.monaco-list-row', { hasText: 'cart.py' }).locator('.monaco-tl-twistie').click();
    for (const name of ['reproduce_total', 'half_subtotal', 'elsewhere_discount']) await functionsView.locator('.monaco-list-row', { hasText: name }).waitFor();
    assert.equal(await functionsView.locator('.monaco-list-row', { hasText: 'test_total' }).count(), 0, 'test code was listed');
    await screenshot('functions-view');

    // Configure the teacher: a custom endpoint and the model it lists, written to the settings.
    await palette('Repo Specializer: Configure Teacher');
    await answer('Custom endpoint', 'Custom endpoint', 'Configure Teacher (1/3)');
    await answer(teacher.url, undefined, 'Configure Teacher (2/3)');
    await answer('test-model', 'test-model', 'Configure Teacher (3/3)');
    await notification(/teacher set to test-model/);
    const settings = JSON.parse(readFileSync(join(base, 'user-data', 'User', 'settings.json'), 'utf8'));
    assert.deepEqual(settings['repoSpecializer.teacher.baseUrls'], [teacher.url]);
    assert.equal(settings['repoSpecializer.teacher.model'], 'test-model');
    await screenshot('teacher-configured');

    // Generate four samples from all functions and wait for the run to finish.
    await palette('Repo Specializer: Generate Samples');
    await answer(String(SAMPLES), undefined, 'Generate Samples (1/2)');
    await answer('All functions', 'All functions', 'Generate Samples (2/2)');
    const done = await notification(/run finished/, 4 * 60_000);
    assert.match(done, /verified/);
    await screenshot('generated');

    const records = readFileSync(join(runDir(), 'samples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(records.length, SAMPLES);
    assert.ok(records.every((r) => r.verification && typeof r.verification.recall === 'number'), JSON.stringify(records.map((r) => r.failure)));

    // The Runs view shows the run with its counts.
    const runsView = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
    const runRow = runsView.locator('.monaco-list-row').first();
    await runRow.waitFor();
    assert.match((await runRow.textContent()) ?? '', new RegExp(`${SAMPLES}/${SAMPLES}`));
    await screenshot('runs-view');

    // The curation panel lists the four samples with scores; open one and see both patches.
    await palette('Repo Specializer: Open Curation Panel');
    const panel = panelFrame();
    await panel.locator('.list-row').first().waitFor({ timeout: 60_000 });
    assert.equal(await panel.locator('.list-row').count(), SAMPLES);
    const firstRowText = (await panel.locator('.list-row').first().textContent()) ?? '';
    assert.match(firstRowText, /\d\.\d\d/);
    await panel.locator('.list-row').first().click();
    await panel.locator('.diff-pair').first().waitFor();
    const patches = (await panel.locator('.patches-wrap').textContent()) ?? '';
    assert.match(patches, /check_inputs_of_|guard added for/);
    await screenshot('panel-detail');

    // Accept the open sample with the keyboard; the decision is on disk at once.
    const id = await panel.locator('.list-row.selected').getAttribute('data-id');
    await panel.locator('.list-row.selected').press('a');
    const decisionsFile = join(runDir(), 'decisions.jsonl');
    for (let i = 0; i < 50 && !(existsSync(decisionsFile) && readFileSync(decisionsFile, 'utf8').includes(`"${id}"`)); i++) await page.waitForTimeout(100);
    const decisions = readFileSync(decisionsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(decisions.map((d) => [d.sampleId, d.decision]), [[id, 'accepted']]);
    await screenshot('accepted');

    // Export in sera-hermes format from the panel and check the files on disk.
    const out = join(base, 'dataset');
    await panel.locator('vscode-panel-tab#tab-export').click();
    await panel.locator('.out-field input').fill(out);
    await panel.locator('.export-preview[data-selected]').waitFor();
    await panel.locator('.export-actions vscode-button', { hasText: 'Export' }).click();
    await panel.locator('.export-result .callout.ok').waitFor({ timeout: 60_000 });
    await screenshot('exported');
    const lines = readFileSync(join(out, 'data', 'train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.length >= 1);
    for (const line of lines) {
      assert.ok(Array.isArray(line.messages) && line.messages[0].role === 'system');
      assert.ok(line.messages.some((m: { role: string; content: string }) => m.role === 'assistant' && m.content.includes('<tool_call>')));
    }
    assert.ok(existsSync(join(out, 'README.md')));

    // The CodeLens above a sampled function.
    const sampled = records.find((r) => r.id === id)!;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await answer(sampled.function.file.split('/').pop(), sampled.function.file.split('/').pop());
    // The accepted sample's function: its lens counts the decision made in the panel.
    const lens = page.locator('.codelens-decoration', { hasText: /accepted/ }).first();
    await lens.waitFor({ timeout: 30_000 });
    assert.match((await lens.textContent()) ?? '', /^(1 sample · recall \d\.\d\d · accepted|\d+ samples · best recall \d\.\d\d · 1 accepted)/);
    await screenshot('codelens');

    // The lens's tooltip and the hover on the definition list the sample with its status, recall and decision.
    const line = `(verified|below threshold) · recall ${sampled.verification.recall.toFixed(2)} · accepted`;
    const tip = await lens.locator('a', { hasText: /accepted/ }).first().getAttribute('title');
    assert.match(tip ?? '', new RegExp(`^${id} · ${line}$`, 'm'));
    assert.match(tip ?? '', /Click to open them in the curation panel\./);
    const name = sampled.function.name as string;
    // every fixture function is defined as `def|func|function NAME(` and called nowhere
    await page.locator('.view-line', { hasText: new RegExp(`\\b${name}\\(`) }).first().locator('span', { hasText: new RegExp(`^${name}$`) }).last().hover();
    const hover = page.locator('.monaco-hover', { hasText: String(id) }).first();
    await hover.waitFor({ timeout: 20_000 });
    const hoverText = (await hover.textContent()) ?? '';
    assert.match(hoverText, new RegExp(`${name}: (1 sample · recall \\d\\.\\d\\d · accepted|\\d+ samples · best recall \\d\\.\\d\\d · 1 accepted)`));
    assert.match(hoverText, new RegExp(`${id}: ${line.replace(/ · /g, ', ')}`));
    assert.match(hoverText, /Open in the curation panel/);
    await screenshot('codelens-hover');

    // The Evals view lists the eval run; opening it shows the models side by side, and a task's reference beside a model's patch.
    const evalsView = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Evals' }) });
    const evalHeader = evalsView.locator('.pane-header');
    if ((await evalHeader.getAttribute('aria-expanded')) === 'false') await evalHeader.click();
    await evalsView.locator('.monaco-list-row', { hasText: '6/6 · commits · student, base, teacher' }).waitFor({ timeout: 30_000 });
    await palette('Repo Specializer: Open Eval Run');
    const evalView = page.frameLocator('iframe.webview.ready:visible').frameLocator('iframe#active-frame');
    await evalView.locator('.eval-models tbody tr').nth(2).waitFor({ timeout: 60_000 });
    assert.deepEqual(await evalView.locator('.eval-models .model-name').allTextContents(), ['student', 'base', 'teacher']);
    await evalView.locator('.task-row [data-model="base"]').first().click();
    await evalView.locator('.eval-detail[data-model="base"] .diff-pair').first().waitFor({ timeout: 30_000 });
    assert.equal(await evalView.locator('.eval-detail .col-title').first().textContent(), 'Reference');
    await screenshot('eval-view');

    // The fixture repository's working tree and refs are as they were.
    assert.equal(repoState(), refsBefore);
    copyFileSync(join(runDir(), 'samples.jsonl'), join(ARTIFACTS, 'samples.jsonl'));
  });
});
