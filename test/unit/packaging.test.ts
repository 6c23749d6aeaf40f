import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';

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
});
