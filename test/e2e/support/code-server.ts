/**
 * Real VS Code for the end-to-end test: code-server 4.100.3 (VS Code 1.100.3, the lowest version
 * the extension supports), installed offline-safe into a cache folder on first use.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

export function cacheDir(): string {
  return process.env.SPECIALIZE_E2E_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'repo-specializer-e2e');
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): void {
  execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 });
}

/**
 * Installs code-server from the npm registry if it is not cached yet. Two install steps reach
 * outside: @vscode/ripgrep downloads a binary (its download cache is seeded from Debian's
 * ripgrep) and npm 11 holds back install scripts until they are approved.
 */
export function ensureCodeServer(log: (line: string) => void = () => {}): string {
  const prefix = join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
  const bin = join(prefix, 'node_modules', '.bin', 'code-server');
  const ready = join(prefix, '.installed');
  if (existsSync(ready) && existsSync(bin)) return bin;
  mkdirSync(prefix, { recursive: true });
  const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  if (!rg) throw new Error('ripgrep is missing: apt-get install -y ripgrep (code-server needs it, and it cannot be downloaded here)');
  const rgCache = join(process.env.TMPDIR || '/tmp', 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(rgCache, { recursive: true });
  run('tar', ['czf', join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', dirname(rg), 'rg'], prefix);
  const env = { npm_config_yes: 'true', npm_config_unsafe_perm: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{"private": true}\n');
  log(`installing code-server ${CODE_SERVER_VERSION} into ${prefix} (a few minutes, once)`);
  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`], prefix, env);
  // npm 11 defers dependencies' install scripts until approved; older npm ran them already.
  let gated = false;
  try {
    run('npm', ['install-scripts', 'approve', '--all'], prefix, env);
    gated = true;
  } catch {
    gated = false;
  }
  if (gated) run('npm', ['rebuild', 'code-server'], prefix, env);
  if (!existsSync(join(prefix, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'))) throw new Error('code-server installed without its VS Code dependencies');
  writeFileSync(ready, new Date().toISOString());
  return bin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  url: string;
  process: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

export async function startCodeServer(bin: string, opts: { extensionsDir: string; userDataDir: string; folder: string; env?: NodeJS.ProcessEnv }): Promise<CodeServer> {
  const port = await freePort();
  let output = '';
  const child = spawn(
    bin,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--extensions-dir', opts.extensionsDir, '--user-data-dir', opts.userDataDir, opts.folder],
    { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not start within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    process: child,
    log: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      await new Promise((r) => setTimeout(r, 500));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
