/**
 * What the detail pane shows as the list changes under it, against the real host code: the
 * CodeLens's "open on this function" (a new panel, or one already open on another tab) and
 * filters that hide the open sample.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openHostedPanel, settle, visibleIds, withChromium } from './support/harness';
import { writeRunFixture, type RunFixture } from './support/run-fixture';

/** The active tab, the selected row, the sample the detail pane is for and the ids the list shows. */
async function state(page: Page) {
  await settle(page);
  return page.evaluate(() => ({
    tab: document.querySelector('vscode-panels')?.getAttribute('activeid') ?? null,
    selected: (document.querySelector('.list-row.selected:not([hidden])') as HTMLElement | null)?.dataset.id ?? null,
    pane: (document.querySelector('.detail') as HTMLElement).dataset.id ?? null,
    empty: document.querySelector('.detail .detail-empty')?.textContent ?? null,
  }));
}

describe('the detail pane follows the list in Chromium', () => {
  const env = withChromium();
  let fx: RunFixture;
  before(() => {
    fx = writeRunFixture({ samples: 60 });
  });
  after(() => fx?.cleanup());

  /** A function with several samples, and the ids of its samples. */
  const target = () => {
    const counts = new Map<string, string[]>();
    for (const r of fx.records) counts.set(r.function.id, [...(counts.get(r.function.id) ?? []), r.id]);
    const [fid, ids] = [...counts].find(([, ids]) => ids.length >= 2)!;
    return { fid, ids };
  };

  it('a panel opened from a CodeLens shows the Samples tab, only that function, and its first sample', async () => {
    const { fid, ids } = target();
    const p = await openHostedPanel(env.browser, env.server, fx.runDir, { functionId: fid });
    try {
      await p.page.waitForSelector('.detail .detail-sub');
      const s = await state(p.page);
      const shown = await visibleIds(p.page);
      assert.deepEqual([...shown].sort(), [...ids].sort());
      assert.equal(s.tab, 'tab-samples');
      assert.equal(s.selected, shown[0]);
      assert.equal(s.pane, shown[0]);
      await p.page.waitForSelector(`.detail-sub:has-text("${shown[0]}")`);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('a CodeLens click on an open panel leaves the Export tab for Samples and replaces a sample outside the function', async () => {
    const { fid, ids } = target();
    const p = await openHostedPanel(env.browser, env.server, fx.runDir);
    try {
      const other = (await visibleIds(p.page)).find((id) => !ids.includes(id))!;
      await p.page.locator(`.list-row[data-id="${other}"]`).click();
      await p.page.waitForSelector(`.detail-sub:has-text("${other}")`);
      await p.page.locator('.search input').fill('inventory');
      await settle(p.page);
      await p.page.locator('vscode-panel-tab#tab-export').click();
      p.controller.focusFunction(fid);
      await p.page.waitForFunction(() => document.querySelector('vscode-panels')?.getAttribute('activeid') === 'tab-samples');
      const shown = await visibleIds(p.page);
      assert.deepEqual([...shown].sort(), [...ids].sort());
      await p.page.waitForSelector(`.detail-sub:has-text("${shown[0]}")`);
      const s = await state(p.page);
      assert.equal(s.selected, shown[0]);
      assert.equal(s.pane, shown[0]);
      assert.equal(await p.page.locator('.search input').inputValue(), '', 'the function filter replaces the earlier search');
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('never keeps a sample the filters hide: the selection moves and the pane with it, or the pane says nothing matches', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir);
    try {
      const [first] = await visibleIds(p.page);
      await p.page.locator(`.list-row[data-id="${first}"]`).click();
      await p.page.waitForSelector(`.detail-sub:has-text("${first}")`);
      const open = fx.records.find((r) => r.id === first)!;
      const hidden = fx.records.find((r) => r.function.file !== open.function.file)!;
      // A search that keeps another file only.
      await p.page.locator('.search input').fill(hidden.function.file);
      await p.page.waitForFunction((id) => !document.querySelector(`.list-row[data-id="${id}"]:not([hidden])`), first);
      let s = await state(p.page);
      assert.notEqual(s.selected, first);
      assert.ok(s.selected && (await visibleIds(p.page)).includes(s.selected));
      assert.equal(s.pane, s.selected);
      await p.page.waitForSelector(`.detail-sub:has-text("${s.selected}")`);
      await p.page.locator('.search input').fill('no function is called this');
      await p.page.waitForSelector('.detail .detail-empty');
      s = await state(p.page);
      assert.deepEqual([s.selected, s.pane, s.empty], [null, null, 'No sample matches the filters.']);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });
});
