/**
 * Writes media/screenshot-panel.png, the README's picture of the curation panel: a fixture run
 * in the Dark+ theme with a partly reproduced sample open.
 *
 *   node --import tsx test/webview/support/readme-screenshot.ts [out.png]
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, openHostedPanel, servePanel, settle } from './harness';
import { writeRunFixture } from './run-fixture';

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(__dirname, '..', '..', '..', 'media', 'screenshot-panel.png');
  const browser = await launchChromium();
  const server = await servePanel();
  const fx = writeRunFixture({ samples: 240, planned: 260, decided: 0.6 });
  try {
    const p = await openHostedPanel(browser, server, fx.runDir, { theme: 'dark', width: 1200, height: 720 });
    // A sample worth looking at: some lines reproduced, some missed, some extra.
    const record = fx.records.find((r, i) => i > 40 && r.verification && r.verification.matched >= 2 && r.verification.matchMap.p1.includes(null) && r.verification.matchMap.p2.includes(null) && r.verification.p1Lines <= 8)!;
    await p.page.locator('.list-head [data-key="file"]').click();
    await p.page.evaluate((id) => (window as unknown as { curation: { store: { position(id: string): number } } }).curation.store.position(id), record.id).then((pos) =>
      p.page.evaluate((top) => (document.querySelector('.list-body')!.scrollTop = top), Math.max(0, pos - 6) * 24),
    );
    await settle(p.page);
    await p.page.locator(`.list-row[data-id="${record.id}"]`).click();
    await p.page.waitForSelector(`.detail-sub:has-text("${record.id}")`);
    // Fold the two text sections so the patches sit under the scores.
    for (const title of ['Instruction (rollout 1)', 'Synthetic PR (rollout 2 task)']) await p.page.locator('details.section > summary', { hasText: title }).click();
    await p.page.mouse.move(5, 5);
    await settle(p.page);
    await p.page.screenshot({ path: out });
    await p.close();
    console.log(`${out}: ${Math.round(statSync(out).size / 1024)} KB`);
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
