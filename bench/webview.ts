/**
 * The curation panel's speed in Chromium (Debian's /usr/bin/chromium, headless), the built
 * webview bundle in the panel's own page and CSP:
 *
 *   first render   a fresh page receives the init message with 20,000 samples: validation,
 *                  indexing, sorting, drawing the list, layout and paint (two frames)
 *   filter         a text filter plus a status filter over the 20,000 rows, redrawn and painted
 *   sort           a click on the File header (re-sort of 20,000 rows), redrawn and painted
 *   open sample    the detail of a sample whose P1 and P2 are each about 500 diff lines:
 *                  validation, both patches side by side with match marks and syntax colours,
 *                  layout and paint
 *
 * Messages reach the page as VS Code delivers them (window.postMessage, a structured clone);
 * each measure is the median of several runs, a fresh page per run.
 *
 *   npm run bench:webview [-- --runs N --samples N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSampleDetail } from '../src/extension/panel/detail';
import { buildRow } from '../src/extension/panel/run-model';
import { sampleColumns } from '../src/protocol';
import { runInfo } from '../test/webview/support/expect';
import { launchChromium, openPanel, servePanel, webviewBundle } from '../test/webview/support/harness';
import { bigSample, syntheticRows } from '../test/webview/support/run-fixture';
import { summarize, type Summary } from './lib/stats';
import { markdownTable } from './lib/table';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const RUNS = Number(args.get('runs') ?? 7);
const SAMPLES = Number(args.get('samples') ?? 20_000);

/**
 * Runs in the page: posts the staged host message to the window (a structured clone, as VS Code
 * delivers it), then waits until two frames have been painted. Garbage from staging is collected
 * first, so a run does not pay for the test harness's own allocations.
 */
const TIMED_POST = async () => {
  const w = window as unknown as { __staged: unknown; gc(): void };
  w.gc();
  const t0 = performance.now();
  window.postMessage(w.__staged, '*');
  await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
  return performance.now() - t0;
};
const STAGE = (m: unknown) => void ((window as unknown as { __staged: unknown }).__staged = m);

async function main(): Promise<void> {
  const browser = await launchChromium(['--js-flags=--expose-gc']);
  const server = await servePanel();
  const bundleKb = Math.round((await webviewBundle()).length / 1024);
  const big = bigSample(500);
  // The big sample is one of the rows: the pane shows only the sample the user selected.
  const rows = [...syntheticRows(SAMPLES - 1, 99), buildRow(big, undefined)];
  const init = { type: 'init', run: runInfo(rows.length), rows: sampleColumns(rows), functionId: null, canUndo: false };
  const detail = { type: 'detail', detail: buildSampleDetail('/nonexistent', big, undefined, true) };
  const patchLines = [detail.detail.p1, detail.detail.p2].map((p) => p!.files.reduce((n, f) => n + f.lines.length, 0));

  const first: number[] = [];
  const filter: number[] = [];
  const sort: number[] = [];
  const open: number[] = [];
  let domRows = 0;
  for (let run = 0; run < RUNS; run++) {
    const p = await openPanel(browser, server, { width: 1600, height: 1000 });
    try {
      await p.page.evaluate(STAGE, init);
      first.push(await p.page.evaluate(TIMED_POST));
      const count = await p.page.locator('.shown-count').textContent();
      if (count !== `${SAMPLES.toLocaleString('en-US')} samples`) throw new Error(`the list says "${count}"`);
      domRows = Math.max(domRows, await p.page.locator('.list-row').count());
      filter.push(
        await p.page.evaluate(async () => {
          const app = (window as unknown as { curation: { setFilters(f: object): void } }).curation;
          const t0 = performance.now();
          app.setFilters({ text: 'stock', status: 'verified' });
          await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
          const ms = performance.now() - t0;
          app.setFilters({ text: '', status: 'all' });
          return ms;
        }),
      );
      sort.push(
        await p.page.evaluate(async () => {
          const header = document.querySelector<HTMLElement>('.list-head [data-key="file"]')!;
          const t0 = performance.now();
          header.click();
          await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
          return performance.now() - t0;
        }),
      );
      await p.page.evaluate((id) => (window as unknown as { curation: { select(id: string): void } }).curation.select(id), big.id);
      await p.page.evaluate(STAGE, detail);
      open.push(await p.page.evaluate(TIMED_POST));
      const shown = await p.page.locator('.side-1 .dl').count();
      if (shown !== patchLines[0]) throw new Error(`the detail showed ${shown} P1 lines, expected ${patchLines[0]}`);
      if (p.errors.length) throw new Error(p.errors.join('\n'));
    } finally {
      await p.close();
    }
  }
  await server.close();
  await browser.close();

  const results: { name: string; target: number; summary: Summary }[] = [
    { name: `first render of ${SAMPLES.toLocaleString('en-US')} samples`, target: 300, summary: summarize(first) },
    { name: `filter (text + status) over ${SAMPLES.toLocaleString('en-US')}`, target: 50, summary: summarize(filter) },
    { name: `sort by file, ${SAMPLES.toLocaleString('en-US')} rows`, target: 50, summary: summarize(sort) },
    { name: `open a sample with a ${patchLines[0]}/${patchLines[1]}-line patch pair`, target: 100, summary: summarize(open) },
  ];
  const table = markdownTable(
    ['measure', 'median ms', 'min ms', 'max ms', 'target ms', 'met'],
    results.map((r) => [r.name, Math.round(r.summary.median * 10) / 10, Math.round(r.summary.min * 10) / 10, Math.round(r.summary.max * 10) / 10, r.target, r.summary.median <= r.target ? 'yes' : 'NO']),
  );
  const note = `Chromium headless (${RUNS} runs each), webview bundle ${bundleKb} KB minified, list DOM rows at most ${domRows}.`;
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'webview.md'), `${table}\n\n${note}\n`);
  writeFileSync(join(dir, 'webview.json'), JSON.stringify({ runs: RUNS, samples: SAMPLES, bundleKb, domRows, patchLines, results }, null, 2) + '\n');
  console.log(`${table}\n\n${note}`);
  if (results.some((r) => r.summary.median > r.target)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
