/**
 * Activation time of the packaged extension inside real VS Code (code-server 4.100.3), as VS
 * Code itself measures it ("Developer: Show Running Extensions"), beside built-in extensions
 * activated in the same window. Each run starts a fresh code-server; medians over the runs.
 *
 *   npm run bench:activation -- [--runs 5]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { makeE2eRepo } from '../test/e2e/fixture';
import { ensureCodeServer, startCodeServer } from '../test/e2e/support/code-server';
import { summarize } from './lib/stats';
import { markdownTable } from './lib/table';

const ROOT = resolve(__dirname, '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const EXTENSIONS = ['Repo Specializer', 'Git', 'Emmet', 'Merge Conflict', 'GitHub'];

async function command(page: Page, title: string): Promise<void> {
  // A busy workbench can swallow the first F1; try a few times.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    try {
      await input.fill(`>${title}`, { timeout: 10_000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** "Activation: 14ms" or "Startup Activation: 48ms" per extension name, from the Running Extensions editor. */
function parseTimes(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  const lines = text.split('\n').map((l) => l.trim());
  lines.forEach((line, i) => {
    const m = /Activation: (\d+)ms/.exec(line);
    if (!m) return;
    for (let j = i - 1; j >= Math.max(0, i - 4); j--) {
      if (EXTENSIONS.includes(lines[j])) {
        out[lines[j]] = Number(m[1]);
        break;
      }
    }
  });
  return out;
}

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'ignore' });
  const bin = ensureCodeServer((l) => process.stderr.write(`${l}\n`));
  const samples: Record<string, number[]> = Object.fromEntries(EXTENSIONS.map((e) => [e, []]));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  for (let run = 0; run < RUNS; run++) {
    const base = mkdtempSync(join(tmpdir(), 'rs-activation-'));
    const ext = join(base, 'ext');
    const user = join(base, 'user');
    mkdirSync(join(user, 'User'), { recursive: true });
    writeFileSync(join(user, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false }));
    execFileSync(bin, ['--extensions-dir', ext, '--user-data-dir', user, '--install-extension', join(ROOT, 'repo-specializer.vsix')], { stdio: 'ignore' });
    const repo = await makeE2eRepo();
    const server = await startCodeServer(bin, { extensionsDir: ext, userDataDir: user, folder: repo.root });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(repo.root)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
      await page.waitForTimeout(2500);
      // Activation on a command, as a user's first use; Emmet and Merge Conflict activate on their own.
      await command(page, 'Repo Specializer: Show Log');
      await page.waitForTimeout(1500);
      await command(page, 'Developer: Show Running Extensions');
      const editor = page.locator('.runtime-extensions-editor');
      await editor.waitFor();
      await page.waitForTimeout(1500);
      const times = parseTimes(await editor.innerText());
      for (const [name, ms] of Object.entries(times)) samples[name].push(ms);
      process.stderr.write(`run ${run + 1}: ${JSON.stringify(times)}\n`);
    } finally {
      await page.close();
      await server.stop();
      await repo.cleanup();
      rmSync(base, { recursive: true, force: true });
    }
  }
  await browser.close();
  const rows = EXTENSIONS.filter((e) => samples[e].length).map((e) => {
    const s = summarize(samples[e]);
    return [e, String(s.runs), `${s.median} ms`, `${s.min}-${s.max} ms`];
  });
  const bundleKb = Math.round(statSync(join(ROOT, 'dist', 'extension.js')).size / 1024);
  process.stdout.write(`${markdownTable(['extension', 'runs', 'activation median', 'range'], rows)}\n\ndist/extension.js: ${bundleKb} KB (the engine, dist/engine.js, loads on first use)\n`);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'activation.json'), JSON.stringify({ runs: RUNS, samples, bundleKb, at: new Date().toISOString() }, null, 2));
}

void main();
