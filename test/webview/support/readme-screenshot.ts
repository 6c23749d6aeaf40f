/**
 * Writes media/screenshot-panel-dark.png and media/screenshot-panel-light.png, the README's
 * pictures of the curation panel in the Dark+ and Light+ themes: a fixture run at 1400x900 with
 * a wide patch pair open (lines of 100-150 characters, wrapped) and the split dragged to give it
 * room, so the pictures show what a person reads on a real screen.
 *
 *   node --import tsx test/webview/support/readme-screenshot.ts [out-folder]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, launchChromium, openHostedPanel, servePanel, settle } from './harness';
import { appendBuilt, writeRunFixture } from './run-fixture';
import { WIDE_FILE, WIDE_SOURCE, wideSample } from './wide-sample';

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? join(__dirname, '..', '..', '..', 'media');
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await launchChromium();
  const server = await servePanel();
  const fx = writeRunFixture({ samples: 240, planned: 260, decided: 0.6, files: { [WIDE_FILE]: WIDE_SOURCE } });
  const wide = appendBuilt(fx.runDir, wideSample());
  try {
    for (const theme of ['dark', 'light'] as const) {
      const p = await openHostedPanel(browser, server, fx.runDir, { theme, width: 1400, height: 900 });
      await p.page.locator('.list-head [data-key="file"]').click();
      await p.page.waitForSelector(`.list-row[data-id="${wide.id}"]`);
      await p.page.evaluate((id) => (window as unknown as { curation: { store: { position(id: string): number } } }).curation.store.position(id), wide.id).then((pos) =>
        p.page.evaluate((top) => (document.querySelector('.list-body')!.scrollTop = top), Math.max(0, pos - 8) * 24),
      );
      await settle(p.page);
      await p.page.locator(`.list-row[data-id="${wide.id}"]:not([hidden])`).click();
      await p.page.waitForSelector(`.detail-sub:has-text("${wide.id}")`);
      // Give the patches more room, as a reader would: drag the split to 440 px.
      const bar = (await p.page.locator('.splitter').boundingBox())!;
      await p.page.mouse.move(bar.x + 2, bar.y + 300);
      await p.page.mouse.down();
      await p.page.mouse.move(440, bar.y + 300, { steps: 4 });
      await p.page.mouse.up();
      // Fold the two text sections so the patches sit under the scores.
      for (const title of ['Instruction (rollout 1)', 'Synthetic PR (rollout 2 task)']) await p.page.locator('details.section > summary', { hasText: title }).click();
      await p.page.mouse.move(5, 5);
      await settle(p.page);
      const file = join(outDir, `screenshot-panel-${theme}.png`);
      await p.page.screenshot({ path: file });
      await p.close();
      // The README's copy stays small: pngquant (Debian's package) when it is installed.
      try {
        execFileSync('pngquant', ['--quality', '70-95', '--speed', '1', '--force', '--output', file, file]);
      } catch {
        // left as Chromium wrote it
      }
      console.log(`${file}: ${Math.round(statSync(file).size / 1024)} KB`);
    }
  } finally {
    await server.close();
    await browser.close();
    fx.cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
