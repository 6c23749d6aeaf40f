// Builds seven bundles: the extension (VS Code glue and the curation panel's host side), the
// engine it loads on first use, the CLI, the scan and export workers, the process host that
// starts git and the agents' commands, and the webview; then copies the tree-sitter runtime and
// grammars next to them so the packaged extension needs no node_modules.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const shared = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const nodeShared = {
  ...shared,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
};

const builds = [
  { ...nodeShared, entryPoints: { extension: 'src/extension/main.ts' }, outdir: 'dist' },
  // The engine is a separate bundle that the extension requires on first use, so activation stays light.
  { ...nodeShared, entryPoints: { engine: 'src/extension/engine.ts' }, outdir: 'dist' },
  { ...nodeShared, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...nodeShared, entryPoints: { 'scan-worker': 'src/core/functions/worker.ts' }, outdir: 'dist' },
  { ...nodeShared, entryPoints: { 'export-worker': 'src/core/dataset/worker.ts' }, outdir: 'dist' },
  { ...nodeShared, entryPoints: { 'process-host': 'src/core/sandbox/process-host-child.ts' }, outdir: 'dist' },
  { ...shared, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: { webview: 'webview/main.ts' }, outdir: 'dist' },
];

function copyGrammars() {
  const source = dirname(require.resolve('@vscode/tree-sitter-wasm'));
  const target = join('dist', 'grammars');
  mkdirSync(target, { recursive: true });
  const wanted = /^tree-sitter(-(python|typescript|tsx|javascript|go|rust|java|c-sharp|cpp|ruby|php))?\.wasm$/;
  for (const file of readdirSync(source)) {
    if (wanted.test(file)) cpSync(join(source, file), join(target, file));
  }
}

copyGrammars();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
