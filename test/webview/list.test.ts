import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleColumns } from '../../src/protocol';
import { ROW_HEIGHT } from '../../webview/list-view';
import { expectedIds, histogram, runInfo } from './support/expect';
import { openPanel, settle, visibleIds, withChromium } from './support/harness';
import { syntheticRows } from './support/run-fixture';

describe('sample list in Chromium', () => {
  const env = withChromium();

  it('renders 20,000 samples with a bounded number of DOM rows, at the top and after scrolling to the end', async () => {
    const p = await openPanel(env.browser, env.server);
    try {
      const rows = syntheticRows(20_000, 11);
      await p.deliver({ type: 'init', run: runInfo(rows.length), rows: sampleColumns(rows), functionId: null, canUndo: false });
      await settle(p.page);
      const expected = expectedIds(rows, () => true, 'recall', -1);
      const dom = await p.page.evaluate(() => ({
        rows: document.querySelectorAll('.list-row').length,
        elements: document.getElementsByTagName('*').length,
        spacer: (document.querySelector('.list-spacer') as HTMLElement).offsetHeight,
        count: document.querySelector('.shown-count')!.textContent,
      }));
      assert.ok(dom.rows > 10 && dom.rows <= 80, `${dom.rows} row elements`);
      assert.ok(dom.elements < 3000, `${dom.elements} elements in the document`);
      assert.equal(dom.spacer, 20_000 * ROW_HEIGHT);
      assert.equal(dom.count, '20,000 samples');
      const top = await visibleIds(p.page);
      assert.deepEqual(top, expected.slice(0, top.length), 'sorted by recall, highest first');

      await p.page.evaluate(() => (document.querySelector('.list-body')!.scrollTop = 1e9));
      await settle(p.page);
      const end = await visibleIds(p.page);
      assert.deepEqual(end, expected.slice(-end.length), 'the last rows are the samples without a score');
      assert.ok((await p.page.locator('.list-row').count()) <= 80);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('filters by text, status, decision, language and recall range, and sorts by any column', async () => {
    // Wide enough that the list (40% of the width by default) shows its token and time columns too.
    const p = await openPanel(env.browser, env.server, { width: 2000 });
    try {
      const rows = syntheticRows(5_000, 12);
      await p.deliver({ type: 'init', run: runInfo(rows.length), rows: sampleColumns(rows), functionId: null, canUndo: false });
      const page = p.page;
      await page.locator('.search input').fill('pricing');
      await page.locator('vscode-dropdown[aria-label="Status"]').click();
      await page.locator('vscode-dropdown[aria-label="Status"] vscode-option', { hasText: 'Verified' }).click();
      await page.locator('.recall-field input').first().fill('0.6');
      await page.locator('.recall-field input').nth(1).fill('0.9');
      await page.locator('.list-head [data-key="file"]').click();
      const keep = (r: (typeof rows)[number]) => r.status === 'verified' && r.recall !== null && r.recall >= 0.6 && r.recall <= 0.9 && `${r.fn}\n${r.file}`.toLowerCase().includes('pricing');
      let expected = expectedIds(rows, keep, 'file', 1);
      await page.waitForFunction((n) => document.querySelector('.shown-count')?.textContent === `${n.toLocaleString('en-US')} of 5,000 samples`, expected.length);
      await settle(page);
      let shown = await visibleIds(page);
      assert.ok(shown.length > 5);
      assert.deepEqual(shown, expected.slice(0, shown.length));

      await page.locator('.list-head [data-key="file"]').click();
      expected = expectedIds(rows, keep, 'file', -1);
      await settle(page);
      shown = await visibleIds(page);
      assert.deepEqual(shown, expected.slice(0, shown.length), 'a second click reverses the order');

      await page.locator('vscode-dropdown[aria-label="Decision"]').click();
      await page.locator('vscode-dropdown[aria-label="Decision"] vscode-option', { hasText: 'Accepted' }).click();
      await page.locator('.list-head [data-key="tokens"]').click();
      const keep2 = (r: (typeof rows)[number]) => keep(r) && r.decision === 'accepted';
      expected = expectedIds(rows, keep2, 'tokens', -1);
      await page.waitForFunction((n) => document.querySelector('.shown-count')?.textContent === `${n} of 5,000 samples`, expected.length);
      await settle(page);
      shown = await visibleIds(page);
      assert.ok(shown.length >= Math.min(10, expected.length));
      assert.deepEqual(shown, expected.slice(0, shown.length));

      await page.getByText('Clear filters').click();
      await page.locator('vscode-dropdown[aria-label="Language"]').click();
      await page.locator('vscode-dropdown[aria-label="Language"] vscode-option', { hasText: 'go' }).click();
      const goRows = rows.filter((r) => r.lang === 'go').length;
      await page.waitForFunction((n) => document.querySelector('.shown-count')?.textContent === `${n.toLocaleString('en-US')} of 5,000 samples`, goRows);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('counts the recall histogram, and previews the threshold typed or dragged', async () => {
    const p = await openPanel(env.browser, env.server, { theme: 'light' });
    try {
      const rows = syntheticRows(3_000, 13);
      await p.deliver({ type: 'init', run: runInfo(rows.length), rows: sampleColumns(rows), functionId: null, canUndo: false });
      await p.page.locator('vscode-panel-tab#tab-overview').click();
      await settle(p.page);
      const bins = await p.page.$$eval('rect.bin', (els) => els.map((e) => Number(e.getAttribute('data-count'))));
      assert.deepEqual(bins, histogram(rows));
      const passing = (t: number) => rows.filter((r) => r.recall !== null && r.recall >= t).length;
      const pass = () => p.page.$eval('.threshold-summary', (e) => Number((e as HTMLElement).dataset.pass));
      assert.equal(await pass(), passing(0.5), "the run's threshold at first");
      const counts = await p.page.$$eval('.counts vscode-badge', (els) => els.map((e) => e.textContent));
      const n = (s: string) => rows.filter((r) => r.status === s || r.decision === s).length.toLocaleString('en-US');
      assert.deepEqual(counts, [n('verified'), n('below-threshold'), n('failed'), n('too-large'), '0', n('accepted'), n('rejected'), n('undecided')]);
      // each count says what it counts; P1 too large says why those samples stopped
      assert.match((await p.page.getAttribute('.count-too-large', 'title')) ?? '', /^Stopped after rollout 1 because P1 changed more lines than the run's limit \(generation\.maxP1Lines, CLI --max-p1-lines\)/);
      assert.equal(await p.page.$$eval('.counts .badge-wrap', (els) => els.filter((e) => !(e as HTMLElement).title).length), 0);

      await p.page.locator('.threshold-field input').fill('0.8');
      await p.page.waitForFunction((want) => (document.querySelector('.threshold-summary') as HTMLElement).dataset.pass === String(want), passing(0.8));
      const box = (await p.page.locator('svg.histogram').boundingBox())!;
      // The plot spans x = 36..592 of the 600-wide viewBox; 0.3 of the way along it:
      const x = box.x + ((36 + 0.3 * 556) / 600) * box.width;
      await p.page.mouse.move(x, box.y + box.height / 2);
      await p.page.mouse.down();
      await p.page.mouse.up();
      await p.page.waitForFunction(() => (document.querySelector('.threshold-field vscode-text-field') as HTMLInputElement).value === '0.30');
      assert.equal(await pass(), passing(0.3));
    } finally {
      await p.close();
    }
  });

  it('keeps a search being typed while new rows arrive, and applies it', async () => {
    const p = await openPanel(env.browser, env.server);
    try {
      const rows = syntheticRows(300, 16);
      await p.deliver({ type: 'init', run: runInfo(300), rows: sampleColumns(rows.slice(0, 200)), functionId: null, canUndo: false });
      // Typed and, within the search's 120 ms pause, a live run's next rows: both in one task, so no timer runs between.
      await p.page.evaluate((more) => {
        const box = document.querySelector('.search vscode-text-field') as HTMLElement & { value: string };
        box.value = 'pricing';
        box.dispatchEvent(new Event('input', { bubbles: true }));
        (window as unknown as { __deliver(m: unknown): void }).__deliver({ type: 'rows', rows: more });
      }, sampleColumns(rows.slice(200)));
      assert.equal(await p.page.locator('.search input').inputValue(), 'pricing', 'the rows did not put the old search back');
      const matching = expectedIds(rows, (r) => `${r.fn} ${r.file}`.toLowerCase().includes('pricing'), 'recall', -1);
      assert.ok(matching.length > 0 && matching.length < 300);
      await p.page.waitForFunction((n) => document.querySelector('.shown-count')?.textContent === `${n} of 300 samples`, matching.length);
      assert.equal(await p.page.locator('.search input').inputValue(), 'pricing');
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('ignores malformed host messages and keeps working', async () => {
    const p = await openPanel(env.browser, env.server);
    try {
      const rows = syntheticRows(50, 14);
      await p.deliver({ type: 'init', run: runInfo(50), rows: sampleColumns(rows), functionId: null, canUndo: false });
      const bad: unknown[] = [
        null,
        'init',
        42,
        { type: 'nope' },
        { type: 'init', run: null, rows: [] },
        { type: 'rows', rows: [{ id: 5 }] },
        { type: 'rows', rows: 'all of them' },
        { type: 'rows', rows: { ...sampleColumns(rows.slice(0, 3)), fn: ['a', 'b'] } },
        { type: 'detail', detail: { id: 'x' } },
        { type: 'decisions', changes: [{ id: rows[0].id, decision: 'maybe', note: '' }], canUndo: true },
        { type: 'exportProgress', done: Number.NaN, total: 1, phase: 'x' },
        { type: 'notice', level: 'info', text: 'x', extra: '<img src=x onerror=alert(1)>' },
      ];
      for (const m of bad) await p.deliver(m);
      const more = syntheticRows(60, 15).slice(50);
      await p.deliver({ type: 'rows', rows: sampleColumns(more) });
      await p.page.waitForFunction(() => document.querySelector('.shown-count')?.textContent === '60 samples');
      const logs = (await p.posted()).filter((m) => m.type === 'log');
      assert.equal(logs.length, bad.length, 'each bad message is reported to the host once');
      assert.match(JSON.stringify(logs), /unknown message type \\"nope\\"/);
      assert.equal(await p.page.locator('img').count(), 0);
      assert.deepEqual(p.errors, []);
      const kept = await p.page.evaluate((id) => (window as unknown as { curation: { store: { get(id: string): { decision: string } } } }).curation.store.get(id).decision, rows[0].id);
      assert.equal(kept, rows[0].decision, 'the malformed decision changed nothing');
    } finally {
      await p.close();
    }
  });
});
