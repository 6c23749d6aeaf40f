import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import picomatch from 'picomatch';

const PROJECT = resolve(__dirname, '../..');

describe('packaging', () => {
  test('every bundle the build makes, except the CLI, is kept in the packaged extension', () => {
    // Workers and the process host are loaded by file name at run time: a bundle left out of the
    // .vsix fails only when a user reaches it.
    const config = readFileSync(join(PROJECT, 'esbuild.config.mjs'), 'utf8');
    const bundles = [...config.matchAll(/entryPoints: \{ '?([\w-]+)'?:/g)].map((m) => m[1]);
    assert.ok(bundles.includes('process-host') && bundles.includes('export-worker'), `found ${bundles.join(', ')}`);
    const kept = new Set(readFileSync(join(PROJECT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).trim()));
    for (const name of bundles.filter((b) => b !== 'cli')) assert.ok(kept.has(`dist/${name}.js`), `.vscodeignore leaves out dist/${name}.js`);
  });

  test("the README's pictures exist and are small, and stay out of the package (VS Code's extension page shows only https: and data: images)", () => {
    const readme = readFileSync(join(PROJECT, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((src) => !/^https?:/.test(src));
    assert.deepEqual(images, ['media/screenshot-panel-dark.png', 'media/screenshot-panel-light.png']);
    const rules = readFileSync(join(PROJECT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    // vsce's rule, whatever the order: a path is packaged when no pattern ignores it or any !pattern keeps it
    const matches = (path: string, keep: boolean) => rules.filter((r) => r.startsWith('!') === keep).some((r) => picomatch(r.replace(/^!/, ''), { dot: true })(path));
    const packaged = (path: string) => !matches(path, false) || matches(path, true);
    for (const src of images) {
      assert.ok(statSync(join(PROJECT, src)).size < 200 * 1024, `${src} is over 200 KB`);
      assert.ok(!packaged(src), `.vscodeignore packages ${src}, which no view of the extension can show`);
    }
    for (const needed of ['media/panel.css', 'media/panel-icon.svg', 'media/icon.svg', 'dist/webview.js', 'README.md']) assert.ok(packaged(needed), `.vscodeignore leaves out ${needed}`);
    assert.ok(!packaged('artifacts/e2e/01-trusted.png') && !packaged('test/webview/list.test.ts'), 'the rules read as vsce reads them');
  });
});
