import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The repository this bench folder belongs to. */
export const REPO_ROOT = join(__dirname, '..', '..');

function newestMtime(dir: string): number {
  let newest = 0;
  const stack = [dir];
  while (stack.length) {
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * Makes sure the bundles in dist/ exist and are not older than src/, building them with
 * `npm run build` otherwise, and returns the path of the CLI bundle. Benchmarks time the
 * shipped bundle, not the sources through tsx. A failed rebuild over existing bundles only warns.
 */
export function ensureBuilt(needed = ['cli.js', 'scan-worker.js'], log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  const dist = join(REPO_ROOT, 'dist');
  const missing = needed.filter((f) => !existsSync(join(dist, f)));
  const builtAt = missing.length ? 0 : Math.min(...needed.map((f) => statSync(join(dist, f)).mtimeMs));
  const stale = !missing.length && newestMtime(join(REPO_ROOT, 'src')) > builtAt;
  if (missing.length || stale) {
    log(missing.length ? `dist/ lacks ${missing.join(', ')}: running npm run build` : 'src/ is newer than dist/: running npm run build');
    const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (result.status !== 0) {
      log(`${result.stdout ?? ''}${result.stderr ?? ''}`.trim().slice(-3000));
      if (missing.length) throw new Error('npm run build failed; fix the build, then run the benchmark again.');
      // Someone's unfinished work elsewhere in src/ should not stop a measurement of what is built.
      log('npm run build failed; measuring the existing (older) dist/ bundles instead');
    }
  }
  return join(dist, 'cli.js');
}
