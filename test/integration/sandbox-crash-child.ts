/**
 * Child process for sandbox-crash.test.ts: makes a pool, takes two copies, writes into them,
 * starts a long command in one, prints what it made as one JSON line, then waits to be killed.
 *   node --import tsx sandbox-crash-child.ts REPO POOL_DIR MODE MARKER
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxPool, type SandboxMode } from '../../src/core/sandbox';

async function main(): Promise<void> {
  const [repoRoot, poolDir, mode, marker] = process.argv.slice(2);
  const pool = await SandboxPool.create({ repoRoot, poolDir, mode: mode as SandboxMode });
  const a = await pool.acquire();
  const b = await pool.acquire();
  writeFileSync(join(a.root, 'left-behind.txt'), 'a\n');
  writeFileSync(join(b.root, 'left-behind.txt'), 'b\n');
  if (marker) void a.run(`sleep ${marker}`, { timeoutMs: 600_000, maxOutputBytes: 1000 }).catch(() => undefined);
  process.stdout.write(`${JSON.stringify({ folder: pool.folder, roots: [a.root, b.root] })}\n`);
  setInterval(() => undefined, 1000);
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
