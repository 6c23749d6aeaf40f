import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const PROJECT = resolve(__dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'cli-install-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });

test('npm pack + npm install -g gives a working specialize command, with no download', () => {
  // CI builds before it tests; from a bare checkout the bundles are built here once.
  if (!existsSync(join(PROJECT, 'dist', 'cli.js'))) execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: PROJECT, stdio: 'ignore' });
  const packs = join(scratch, 'packs');
  mkdirSync(packs);
  npm(['pack', '--ignore-scripts', '--pack-destination', packs, PROJECT], scratch);
  const [tarball] = readdirSync(packs);
  assert.match(tarball, /^repo-specializer-.*\.tgz$/);
  const prefix = join(scratch, 'prefix');
  // --offline: the bundles carry everything, so installing must not need the registry.
  npm(['install', '--global', '--offline', '--prefix', prefix, join(packs, tarball)], scratch);
  const bin = join(prefix, 'bin', 'specialize');
  const help = execFileSync(bin, ['--help'], { encoding: 'utf8' });
  assert.match(help, /^Usage: specialize \[options\] \[command\]/);
  for (const command of ['scan', 'generate', 'runs', 'export', 'merge', 'score']) assert.match(help, new RegExp(`^  ${command} `, 'm'));
  // The grammars and the scan worker are loaded by file name: a scan proves they were shipped.
  const repo = join(scratch, 'repo');
  mkdirSync(repo);
  writeFileSync(join(repo, 'app.py'), 'def main():\n    return 1\n');
  const scan = execFileSync(bin, ['scan', repo, '--json', '--no-cache'], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(scan).functions.map((f: { qualifiedName: string }) => f.qualifiedName), ['main']);
});
