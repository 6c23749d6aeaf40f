/**
 * Child process for sandbox-private-folder.test.ts, run as a second local user: makes a pool
 * in the default (per-user) location, runs one command in a copy and prints one JSON line.
 *   node --import tsx sandbox-other-user-child.ts REPO MODE
 */
import { SandboxPool, type SandboxMode } from '../../src/core/sandbox';

async function main(): Promise<void> {
  const [repoRoot, mode] = process.argv.slice(2);
  const pool = await SandboxPool.create({ repoRoot, mode: mode as SandboxMode });
  try {
    const copy = await pool.acquire();
    const r = await copy.run('cat app.py', { timeoutMs: 30_000, maxOutputBytes: 10_000 });
    await copy.release();
    process.stdout.write(`${JSON.stringify({ folder: pool.folder, output: r.output, exitCode: r.exitCode })}\n`);
  } finally {
    await pool.dispose();
  }
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
