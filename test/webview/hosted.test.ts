/**
 * The webview against the real host code: a PanelController on a real run directory (in a real
 * git repository) answers the page's messages, so these cover the whole path from a key press
 * to a line in decisions.jsonl, and from a record's match map to a coloured diff line.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readDecisions } from '../../src/core/store';
import { changedLines } from '../../src/core/verify';
import { datasetExporter } from '../../src/extension/panel/export-bridge';
import { RunWatcher } from '../../src/extension/panel/run-watcher';
import { ARTIFACTS, openHostedPanel, settle, visibleIds, withChromium } from './support/harness';
import { appendSample, writeRunFixture, type RunFixture } from './support/run-fixture';

describe('the panel with its real host in Chromium', () => {
  const env = withChromium();
  let fx: RunFixture;
  before(async () => {
    fx = writeRunFixture({ samples: 80, planned: 90, decided: 0.2 });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(() => fx?.cleanup());

  it('colours each changed line of both patches from the match map', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir);
    try {
      // A sample with reproduced, missed, matched and extra lines all at once.
      const record = fx.records.find((r) => r.verification && r.verification.matchMap.p1.some((x) => x === null) && r.verification.matchMap.p1.some((x) => x !== null) && r.verification.matchMap.p2.some((x) => x === null))!;
      assert.ok(record, 'the fixture has a partly reproduced sample');
      await p.page.locator('.search input').fill(record.function.qualifiedName);
      await p.page.locator(`.list-row[data-id="${record.id}"]`).click();
      await p.page.waitForSelector(`.detail-sub:has-text("${record.id}")`);
      const sides = await p.page.evaluate(() =>
        [1, 2].map((side) =>
          [...document.querySelectorAll<HTMLElement>(`.side-${side} .dl[data-c]`)].map((el) => ({
            c: Number(el.dataset.c),
            mark: el.dataset.mark,
            sign: el.classList.contains('dl-add') ? '+' : '-',
            text: el.querySelector('.code')!.textContent,
            border: getComputedStyle(el).borderLeftColor,
          })),
        ),
      );
      const decision = readDecisions(fx.runDir).get(record.id)?.decision ?? 'undecided';
      const pressed = await p.page.$$eval('.decide[appearance="primary"]', (els) => els.map((e) => e.className));
      assert.deepEqual(pressed, [`decide decide-${decision}`], 'the button of the current decision is shown pressed');
      const map = record.verification!.matchMap;
      const lines1 = changedLines(record.rollout1!.patch);
      const lines2 = changedLines(record.rollout2!.patch);
      assert.equal(sides[0].length, lines1.length);
      assert.equal(sides[1].length, lines2.length);
      for (const l of sides[0]) {
        assert.equal(`${l.sign}${l.text}`, `${lines1[l.c].sign}${lines1[l.c].text}`, 'the mark sits on the line the verify module counted');
        assert.equal(l.mark, map.p1[l.c] === null ? 'missed' : 'reproduced');
      }
      for (const l of sides[1]) {
        assert.equal(`${l.sign}${l.text}`, `${lines2[l.c].sign}${lines2[l.c].text}`);
        assert.equal(l.mark, map.p2[l.c] === null ? 'extra' : 'matched');
      }
      const colour = (mark: string) => new Set([...sides[0], ...sides[1]].filter((l) => l.mark === mark).map((l) => l.border));
      assert.equal(colour('missed').size, 1);
      assert.notDeepEqual([...colour('missed')], [...colour('reproduced')], 'missed and reproduced look different');
      assert.notDeepEqual([...colour('extra')], [...colour('matched')]);

      // Hovering a matched P2 line lights up the P1 line it reproduces.
      const matched = sides[1].find((l) => map.p2[l.c] !== null)!;
      await p.page.locator(`.side-2 .dl[data-c="${matched.c}"]`).hover();
      assert.equal(await p.page.locator(`.side-1 .dl.partner[data-c="${map.p2[matched.c]}"]`).count(), 1);

      await p.page.locator('.decision-row vscode-button', { hasText: 'Open diff' }).click();
      await p.page.locator('.file-actions vscode-button', { hasText: 'Base ↔ P1' }).first().click();
      await p.page.waitForFunction(() => true);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(p.calls.diffs.map((d) => [d.left.part, d.right.part, d.left.file ?? null]), [
        ['after', 'after', record.function.file],
        ['before', 'after', record.function.file],
      ]);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('saves decisions and notes to decisions.jsonl at once, and undoes them', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir);
    try {
      await p.page.locator('vscode-dropdown[aria-label="Decision"]').click();
      await p.page.locator('vscode-dropdown[aria-label="Decision"] vscode-option', { hasText: 'Undecided' }).click();
      await settle(p.page);
      const [first, second] = await visibleIds(p.page);
      await p.page.locator(`.list-row[data-id="${first}"]`).click();
      await p.page.waitForSelector(`.detail-sub:has-text("${first}")`);
      await p.page.keyboard.press('a');
      const until = async (check: () => boolean) => {
        const deadline = Date.now() + 5_000;
        while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        assert.ok(check());
      };
      await until(() => readDecisions(fx.runDir).get(first)?.decision === 'accepted');
      // The accepted sample leaves the "undecided" view; the next one is open.
      await p.page.waitForSelector(`.detail-sub:has-text("${second}")`);
      await p.page.waitForFunction((id) => !document.querySelector(`.list-row[data-id="${id}"]:not([hidden])`), first);
      await p.page.locator('.note vscode-text-area textarea').fill('P2 fixed a different bug');
      await p.page.locator('.search input').click(); // leaving the field saves at once
      await until(() => readDecisions(fx.runDir).get(second)?.note === 'P2 fixed a different bug');
      await p.page.keyboard.press('Escape');
      await p.page.locator('.app-head vscode-button', { hasText: 'Undo' }).click();
      await until(() => readDecisions(fx.runDir).get(second)?.note === undefined);
      await p.page.locator('.app-head vscode-button', { hasText: 'Undo' }).click();
      await until(() => readDecisions(fx.runDir).get(first)?.decision === 'undecided');
      await p.page.waitForSelector(`.list-row[data-id="${first}"]:not([hidden])`);
    } finally {
      await p.close();
    }
  });

  it('shows samples a running generation appends, without a reload', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir);
    const watcher = new RunWatcher(fx.runDir, () => p.controller.refresh(), 20, 500);
    try {
      await p.page.waitForFunction(() => document.querySelector('.shown-count')?.textContent === '80 samples');
      assert.equal(await p.page.locator('.live').textContent(), '● 10 pending');
      const added = [appendSample(fx.runDir, 7, 80), appendSample(fx.runDir, 7, 81)];
      await p.page.waitForFunction(() => document.querySelector('.shown-count')?.textContent === '82 samples');
      await p.page.waitForFunction(() => document.querySelector('.live')?.textContent === '● 8 pending');
      const ids = await p.page.evaluate(() => (window as unknown as { curation: { store: { rows: { id: string }[] } } }).curation.store.rows.map((r) => r.id));
      for (const r of added) assert.ok(ids.includes(r.id));
    } finally {
      watcher.dispose();
      await p.close();
    }
  });

  it('comes back after a reload with its filters, sort, selection, open sample and scroll', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir, { height: 500 });
    try {
      await p.page.locator('vscode-dropdown[aria-label="Status"]').click();
      await p.page.locator('vscode-dropdown[aria-label="Status"] vscode-option', { hasText: 'Below threshold' }).click();
      await p.page.locator('.list-head [data-key="fn"]').click();
      await settle(p.page);
      const ids = await visibleIds(p.page);
      await p.page.locator(`.list-row[data-id="${ids[3]}"]`).click();
      await p.page.waitForSelector(`.detail-sub:has-text("${ids[3]}")`);
      await p.page.evaluate(() => (document.querySelector('.list-body')!.scrollTop = 48));
      await new Promise((r) => setTimeout(r, 400)); // state is saved 200 ms after the last change
      // The reloaded page says ready again and the controller answers it, as in VS Code.
      await p.page.reload();
      await p.page.waitForSelector(`.detail-sub:has-text("${ids[3]}")`);
      const after = await p.page.evaluate(() => ({
        status: (document.querySelector('vscode-dropdown[aria-label="Status"]') as HTMLSelectElement).value,
        sorted: document.querySelector('.list-head .sorted')?.getAttribute('data-key'),
        selected: (document.querySelector('.list-row.selected') as HTMLElement | null)?.dataset.id,
        scroll: document.querySelector('.list-body')!.scrollTop,
      }));
      assert.deepEqual(after, { status: 'below-threshold', sorted: 'fn', selected: ids[3], scroll: 48 });
    } finally {
      await p.close();
    }
  });

  it('proposes an export folder beside the runs, named for the run and the format, that follows the format', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir, { exporter: datasetExporter });
    try {
      await p.page.locator('vscode-panel-tab#tab-export').click();
      const field = p.page.locator('.out-field input');
      assert.equal(await field.inputValue(), join(fx.repo, '.specializer', 'exports', 'fixture-run-sera-hermes'));
      await p.page.locator('vscode-dropdown[aria-label="Format"]').click();
      await p.page.locator('vscode-dropdown[aria-label="Format"] vscode-option', { hasText: 'openai' }).click();
      for (let i = 0; i < 100 && !(await field.inputValue()).endsWith('-openai'); i++) await settle(p.page);
      assert.equal(await field.inputValue(), join(fx.repo, '.specializer', 'exports', 'fixture-run-openai'));
      // A folder the user typed stays put when the format changes.
      await field.fill('/tmp/my-dataset');
      await p.page.locator('vscode-dropdown[aria-label="Format"]').click();
      await p.page.locator('vscode-dropdown[aria-label="Format"] vscode-option', { hasText: 'sharegpt' }).first().click();
      await settle(p.page);
      assert.equal(await field.inputValue(), '/tmp/my-dataset');
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('previews the export count, writes the dataset with progress, then offers to reveal it', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir, { exporter: datasetExporter });
    try {
      await p.page.locator('vscode-panel-tab#tab-export').click();
      const out = join(fx.root, 'exported');
      await p.page.locator('.out-field input').fill(out);
      await p.page.waitForSelector('.export-preview[data-selected]');
      const before = Number(await p.page.$eval('.export-preview', (e) => (e as HTMLElement).dataset.selected));
      await p.page.getByText('Only accepted').click();
      await p.page.waitForFunction((n) => Number((document.querySelector('.export-preview') as HTMLElement).dataset.selected) < n, before);
      const selected = Number(await p.page.$eval('.export-preview', (e) => (e as HTMLElement).dataset.selected));
      assert.ok(selected > 0);
      await p.page.locator('.export-actions vscode-button', { hasText: 'Export' }).click();
      await p.page.waitForSelector('.export-result .callout.ok');
      assert.match((await p.page.locator('.export-result').textContent()) ?? '', new RegExp(`Wrote ${selected} trajectories`));
      assert.ok(existsSync(join(out, 'data', 'train.jsonl')));
      await p.page.locator('.export-result vscode-button', { hasText: 'Reveal in Explorer' }).click();
      await p.page.waitForFunction(() => true);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(p.calls.revealed, [out]);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`looks right in the ${theme} theme under the strict CSP (screenshot in artifacts/)`, async () => {
      const p = await openHostedPanel(env.browser, env.server, fx.runDir, { theme, width: 1440, height: 900 });
      try {
        const record = fx.records.find((r) => r.verification && r.verification.recall! < 1 && r.verification.p2Lines > r.verification.matched)!;
        await p.page.locator('.search input').fill(record.function.qualifiedName);
        await p.page.locator(`.list-row[data-id="${record.id}"]`).click();
        await p.page.waitForSelector(`.detail-sub:has-text("${record.id}")`);
        await p.page.evaluate(() => document.querySelector<HTMLElement>('.patches-wrap')?.closest('details')?.scrollIntoView());
        await settle(p.page);
        await p.page.screenshot({ path: join(ARTIFACTS, `panel-${theme}.png`) });
        await p.page.locator('vscode-panel-tab#tab-overview').click();
        await settle(p.page);
        await p.page.screenshot({ path: join(ARTIFACTS, `overview-${theme}.png`) });
        const look = await p.page.evaluate(() => {
          const body = getComputedStyle(document.body);
          const row = document.querySelector('.list-row');
          return { bg: body.backgroundColor, fg: body.color, rowFont: row ? getComputedStyle(row).fontFamily : '' };
        });
        const expected = { light: 'rgb(255, 255, 255)', dark: 'rgb(30, 30, 30)', 'high-contrast': 'rgb(0, 0, 0)' }[theme];
        assert.equal(look.bg, expected, 'the editor background of the theme');
        assert.notEqual(look.fg, look.bg);
        const violations = await p.cspViolations();
        assert.deepEqual(violations.filter((v) => !v.startsWith('style-src-attr')), [], 'nothing but the toolkit badge’s empty style attribute is blocked');
        assert.deepEqual(p.errors, []);
      } finally {
        await p.close();
      }
    });
  }
});
