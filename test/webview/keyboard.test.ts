import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleColumns, type WebviewMessage } from '../../src/protocol';
import { expectedIds, runInfo } from './support/expect';
import { openPanel, type PanelPage, withChromium } from './support/harness';
import { syntheticRows } from './support/run-fixture';

/** The messages posted after the first `skip`, without the webview's log lines. */
async function since(p: PanelPage, skip: number): Promise<WebviewMessage[]> {
  return (await p.posted()).slice(skip).filter((m) => m.type !== 'log');
}

describe('keyboard curation in Chromium', () => {
  const env = withChromium();

  it('a / r / u decide, j / k and the arrows move, z undoes; the detail pane always shows the sample the keys act on', async () => {
    const p = await openPanel(env.browser, env.server);
    try {
      const rows = syntheticRows(40, 21);
      await p.deliver({ type: 'init', run: runInfo(40), rows: sampleColumns(rows), functionId: null, canUndo: false });
      const order = expectedIds(rows, () => true, 'recall', -1);
      const start = (await p.posted()).length;
      const k = p.page.keyboard;
      /** The selected row and the sample the detail pane is for must be one and the same. */
      const shown = async () => {
        const s = await p.page.evaluate(() => ({
          selected: (document.querySelector('.list-row.selected') as HTMLElement | null)?.dataset.id ?? null,
          pane: (document.querySelector('.detail') as HTMLElement).dataset.id ?? null,
          title: document.querySelector('.detail .detail-title')?.textContent ?? null,
        }));
        assert.equal(s.pane, s.selected, 'the detail pane shows the selected sample');
        assert.equal(s.title, rows.find((r) => r.id === s.selected)?.fn ?? null);
        return s.selected;
      };
      await k.press('j'); // selects the first row and shows it
      assert.equal(await shown(), order[0]);
      await k.press('Enter'); // already shown: nothing to ask for
      await k.press('a'); // accepts it and moves on to the second
      assert.equal(await shown(), order[1]);
      await k.press('r');
      await k.press('k');
      assert.equal(await shown(), order[1]);
      await k.press('u');
      await k.press('ArrowDown');
      await k.press('ArrowDown');
      await k.press('ArrowUp');
      assert.equal(await shown(), order[3]);
      await k.press('z');
      assert.deepEqual(await since(p, start), [
        { type: 'openSample', id: order[0] },
        { type: 'decide', ids: [order[0]], decision: 'accepted' },
        { type: 'openSample', id: order[1] },
        { type: 'decide', ids: [order[1]], decision: 'rejected' },
        { type: 'openSample', id: order[2] },
        { type: 'openSample', id: order[1] },
        // u acts on the second row, which k moved back to and the pane shows
        { type: 'decide', ids: [order[1]], decision: 'undecided' },
        { type: 'openSample', id: order[2] },
        { type: 'openSample', id: order[3] },
        { type: 'openSample', id: order[4] },
        { type: 'openSample', id: order[3] },
        { type: 'undo' },
      ]);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('leaves keys alone while the user types, and stays put when "next after deciding" is off', async () => {
    const p = await openPanel(env.browser, env.server);
    try {
      const rows = syntheticRows(30, 22);
      await p.deliver({ type: 'init', run: runInfo(30), rows: sampleColumns(rows), functionId: null, canUndo: false });
      const order = expectedIds(rows, () => true, 'recall', -1);
      const start = (await p.posted()).length;
      await p.page.locator('.search input').click();
      await p.page.keyboard.type('jar');
      assert.deepEqual((await since(p, start)).filter((m) => m.type !== 'log'), [], 'typing "jar" in the search field decides nothing');
      await p.page.locator('.search input').fill('');
      await p.page.getByText('Next after deciding').click();
      await p.page.locator(`.list-row[data-id="${order[4]}"]`).click();
      await p.page.keyboard.press('r');
      await p.page.keyboard.press('a');
      assert.deepEqual(await since(p, start), [
        { type: 'openSample', id: order[4] },
        { type: 'decide', ids: [order[4]], decision: 'rejected' },
        { type: 'decide', ids: [order[4]], decision: 'accepted' },
      ]);
    } finally {
      await p.close();
    }
  });

  it('applies a bulk action to the filtered samples that pass the recall test', async () => {
    const p = await openPanel(env.browser, env.server);
    try {
      const rows = syntheticRows(400, 23);
      await p.deliver({ type: 'init', run: runInfo(400), rows: sampleColumns(rows), functionId: null, canUndo: false });
      const start = (await p.posted()).length;
      await p.page.locator('vscode-dropdown[aria-label="Language"]').click();
      await p.page.locator('vscode-dropdown[aria-label="Language"] vscode-option', { hasText: 'python' }).click();
      await p.page.locator('.bulk-value input').fill('0.75');
      await p.page.locator('.bulk-apply').click();
      const want = rows.filter((r) => r.lang === 'python' && r.recall !== null && r.recall >= 0.75 && r.decision !== 'accepted').map((r) => r.id).sort();
      const sent = (await since(p, start)).filter((m) => m.type === 'decide');
      assert.equal(sent.length, 1);
      assert.equal(sent[0].type === 'decide' && sent[0].decision, 'accepted');
      assert.deepEqual(sent[0].type === 'decide' ? [...sent[0].ids].sort() : [], want);
    } finally {
      await p.close();
    }
  });
});
