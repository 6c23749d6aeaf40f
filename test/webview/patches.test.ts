/**
 * Reading patches on a real screen: a patch pair with library-length lines (100-150 characters)
 * at 1400x900, against the real host code. Long lines wrap (or scroll sideways with both sides in
 * step), the list and the detail pane split where the user drags, labels stay on one line, long
 * names are cut in the middle with the full text as tooltip, and step summaries are not clipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openHostedPanel, settle, withChromium, type HostedPanel } from './support/harness';
import { appendBuilt, writeRunFixture, type RunFixture } from './support/run-fixture';
import { WIDE_FILE, WIDE_SOURCE, wideSample } from './support/wide-sample';

describe('the patch view on a wide screen in Chromium', () => {
  const env = withChromium();
  let fx: RunFixture;
  let wideId: string;
  let tooLargeId: string;
  before(() => {
    fx = writeRunFixture({ samples: 30, files: { [WIDE_FILE]: WIDE_SOURCE } });
    wideId = appendBuilt(fx.runDir, wideSample()).id;
    // the wide P1 on another function, stopped after rollout 1 as generation does when P1 is over --max-p1-lines
    const big = wideSample();
    const fn = { ...big.record.function, id: `${WIDE_FILE}:SessionRedirects.rebuild_auth:40`, name: 'rebuild_auth', qualifiedName: 'SessionRedirects.rebuild_auth' };
    const reason = 'P1 has 6 changed lines, more than the limit of 4; the sample stops before the PR';
    const record = { ...big.record, id: 'toolarge0001', function: fn, syntheticPr: null, rollout2: null, verification: null, status: 'too-large' as const, failure: { stage: 'rollout1' as const, reason } };
    tooLargeId = appendBuilt(fx.runDir, { record, trajectories: { r1: big.trajectories.r1 } }).id;
  });
  after(() => fx?.cleanup());

  const openWide = async (p: HostedPanel) => {
    await p.page.locator('.search input').fill('resolve_redirects');
    await p.page.waitForFunction(() => document.querySelector('.shown-count')?.textContent?.includes(' of '));
    await p.page.locator(`.list-row[data-id="${wideId}"]:not([hidden])`).click();
    await p.page.waitForSelector(`.detail-sub:has-text("${wideId}")`);
    await settle(p.page);
  };

  it('wraps long lines by default; unwrapped, both sides of a file scroll sideways in step', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir, { width: 1400, height: 900 });
    try {
      await openWide(p);
      const overflow = () => p.page.$$eval('.diff-side', (els) => els.map((e) => e.scrollWidth - e.clientWidth));
      assert.deepEqual(await overflow(), [0, 0], 'wrapped: nothing hides past the right edge');
      const longest = await p.page.$$eval('.side-1 .dl .code', (els) => Math.max(...els.map((e) => e.textContent!.length)));
      assert.ok(longest > 120, `the sample has long lines (${longest})`);
      await p.page.getByText('Wrap long lines').click();
      await settle(p.page);
      const [w1, w2] = await overflow();
      assert.ok(w1 > 0 && w2 > 0, 'unwrapped, the lines run past the edge');
      await p.page.$eval('.side-1', (e) => (e.scrollLeft = 120));
      await p.page.waitForFunction(() => document.querySelector('.side-2')!.scrollLeft === 120);
      await p.page.$eval('.side-2', (e) => (e.scrollLeft = 40));
      await p.page.waitForFunction(() => document.querySelector('.side-1')!.scrollLeft === 40);
      // The choice is kept: the next sample opens unwrapped too, and so does a reloaded panel.
      await new Promise((r) => setTimeout(r, 400));
      await p.page.reload();
      await p.page.waitForSelector(`.detail-sub:has-text("${wideId}")`);
      assert.equal(await p.page.locator('.patches-wrap.nowrap').count(), 1);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('the split between list and detail follows a drag and survives a reload; labels stay on one line', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir, { width: 1400, height: 900 });
    try {
      await openWide(p);
      const widths = () => p.page.evaluate(() => ({ list: document.querySelector('.list')!.getBoundingClientRect().width, detail: document.querySelector('.detail')!.getBoundingClientRect().width }));
      const before = await widths();
      const bar = (await p.page.locator('.splitter').boundingBox())!;
      await p.page.mouse.move(bar.x + bar.width / 2, bar.y + 200);
      await p.page.mouse.down();
      await p.page.mouse.move(360, bar.y + 200, { steps: 5 });
      await p.page.mouse.up();
      await settle(p.page);
      const dragged = await widths();
      assert.ok(Math.abs(dragged.list - 360) < 8, `the list is ${dragged.list}px after the drag`);
      assert.ok(dragged.detail > before.detail + 150);
      // Each P1 / P2 title is one line.
      const titles = await p.page.$$eval('.col-title', (els) => els.map((e) => ({ text: e.textContent, h: e.getBoundingClientRect().height, lh: parseFloat(getComputedStyle(e).lineHeight) || 18 })));
      for (const t of titles) assert.ok(t.h < t.lh * 1.5, `${t.text} wraps (${t.h}px)`);
      await new Promise((r) => setTimeout(r, 400));
      await p.page.reload();
      await p.page.waitForSelector(`.detail-sub:has-text("${wideId}")`);
      assert.ok(Math.abs((await widths()).list - 360) < 8);
      // Double-click: back to the default split.
      await p.page.locator('.splitter').dblclick();
      await settle(p.page);
      assert.ok(Math.abs((await widths()).list - before.list) < 2);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('cuts long function and file names in the middle, keeping the file name and the full text as tooltip', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir, { width: 1400, height: 800 });
    try {
      await p.page.locator('.search input').fill('resolve_redirects');
      await p.page.waitForFunction(() => document.querySelector('.shown-count')?.textContent?.includes(' of '));
      const cells = await p.page.$eval(`.list-row[data-id="${wideId}"]`, (row) => [...row.querySelectorAll<HTMLElement>('.c-fn, .c-file')].map((c) => ({ text: c.textContent!, title: c.title, fits: c.scrollWidth <= c.clientWidth })));
      assert.deepEqual(cells.map((c) => c.title), ['SessionRedirects.resolve_redirects', WIDE_FILE]);
      for (const c of cells) assert.ok(c.fits, `"${c.text}" fits its cell`);
      const [fn, file] = cells;
      assert.ok(file.text.includes('…') && file.text.endsWith('/session.py'), file.text);
      assert.ok(fn.text.endsWith('resolve_redirects'), fn.text);
    } finally {
      await p.close();
    }
  });

  it('column headings are never cut, also with the sort mark, and every status word fits its cell', async () => {
    // 900 px stacks the list above the detail with every column shown; 1400 px keeps the default split.
    for (const width of [900, 1400, 2000]) {
      const p = await openHostedPanel(env.browser, env.server, fx.runDir, { width, height: 800 });
      try {
        await p.page.locator('.list-row').first().waitFor();
        const shown = await p.page.$$eval('.list-head .cell', (els) => els.filter((e) => (e as HTMLElement).offsetWidth > 0).map((e) => (e as HTMLElement).dataset.key!));
        assert.ok(shown.includes('status') && shown.includes('decision'), shown.join());
        for (const key of shown) {
          const head = p.page.locator(`.list-head [data-key="${key}"]`);
          await head.click();
          await p.page.waitForSelector(`.list-head [data-key="${key}"].sorted`);
          const fit = await head.evaluate((e) => ({ text: e.textContent, over: e.scrollWidth - e.clientWidth }));
          assert.ok(fit.over <= 0, `at ${width} px the heading "${fit.text}" is cut by ${fit.over} px when sorted`);
        }
        // the other rows show Verified, Below and Failed; this one Too large
        await p.page.locator('.search input').fill('rebuild_auth');
        await p.page.locator(`.list-row[data-id="${tooLargeId}"]:not([hidden])`).waitFor();
        const cut = await p.page.$$eval('.list-row:not([hidden]) .c-status', (els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent));
        assert.deepEqual(cut, [], `at ${width} px`);
      } finally {
        await p.close();
      }
    }
  });

  it('a sample stopped as P1 too large reads as a stop after rollout 1, not as a failure', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir, { width: 1400, height: 900 });
    try {
      await p.page.locator('.search input').fill('rebuild_auth');
      await p.page.waitForFunction(() => document.querySelector('.shown-count')?.textContent?.includes(' of '));
      const row = p.page.locator(`.list-row[data-id="${tooLargeId}"]:not([hidden])`);
      await row.waitFor();
      const status = row.locator('.c-status');
      assert.equal(await status.textContent(), 'Too large');
      assert.match((await status.getAttribute('title')) ?? '', /^P1 too large: stopped after rollout 1, before the PR/);
      await row.click();
      await p.page.waitForSelector(`.detail-sub:has-text("${tooLargeId}")`);
      assert.equal(await p.page.locator('.detail-sub .pill.status-too-large').textContent(), 'P1 too large');
      const callout = p.page.locator('.callout.failure');
      assert.deepEqual(await callout.evaluate((e) => [...e.classList]), ['callout', 'warning', 'failure']);
      assert.match((await callout.textContent()) ?? '', /^Stopped after rollout 1: P1 has 6 changed lines, more than the limit of 4; the sample stops before the PR\. The limit is generation\.maxP1Lines \(CLI --max-p1-lines\)\.$/);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  it('step summaries show tool names whole: the text box of str_replace_editor lies inside its line', async () => {
    const p = await openHostedPanel(env.browser, env.server, fx.runDir, { width: 1400, height: 900 });
    try {
      await openWide(p);
      // A larger editor font than the panel's own makes clipping likelier, as in VS Code.
      await p.page.evaluate(() => document.documentElement.style.setProperty('--vscode-editor-font-size', '14px'));
      await p.page.locator('.trajectory > summary').first().click();
      const boxes = await p.page.$$eval('.step-calls', (els) =>
        els.filter((e) => e.textContent!.includes('_')).map((e) => {
          const range = document.createRange();
          range.selectNodeContents(e);
          const t = range.getBoundingClientRect();
          const b = e.getBoundingClientRect();
          return { text: e.textContent, inside: t.top >= b.top - 0.5 && t.bottom <= b.bottom + 0.5 };
        }),
      );
      assert.ok(boxes.some((b) => b.text?.includes('str_replace_editor')), JSON.stringify(boxes));
      for (const b of boxes) assert.ok(b.inside, `${b.text} is clipped`);
    } finally {
      await p.close();
    }
  });
});
