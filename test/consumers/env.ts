/**
 * What the consumer suite runs against, made once in a cache folder and reused: a Python
 * virtualenv with the real training stack (requirements.txt), llama.cpp's chat templates and
 * vocabulary GGUFs (shipped in the npm package node-llama-cpp as a git bundle), and tokenizers
 * that transformers built from those GGUFs (building one takes most of a minute, loading it a
 * second). Each part has a marker file written last, so a part cut short is made again.
 *
 * SPECIALIZE_CONSUMERS_CACHE moves the cache; by default it is $XDG_CACHE_HOME (or ~/.cache)
 * /repo-specializer/consumers, outside the work tree so that `npm ci` does not wipe it.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const NODE_LLAMA_CPP = 'node-llama-cpp@3.21.1';
/** Tokenizer vocabularies the checks build, by llama.cpp's ggml-vocab-NAME.gguf. */
export const VOCABS = ['qwen2', 'llama-bpe'] as const;

export interface ConsumerEnv {
  python: string;
  templates: string;
  tokenizers: string;
  /** Seconds each part took to make in this process (0: it was already in the cache). */
  setupSeconds: Record<string, number>;
}

const HERE = __dirname;

export function cacheRoot(): string {
  return process.env.SPECIALIZE_CONSUMERS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'repo-specializer', 'consumers');
}

function run(command: string, args: string[], options: ExecFileSyncOptions = {}): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'], ...options });
}

/** Makes `dir` with `make` unless its marker says it is whole; returns the seconds it took. */
function once(dir: string, make: (dir: string) => void): number {
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return 0;
  const started = performance.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  make(dir);
  writeFileSync(marker, new Date().toISOString() + '\n');
  return Math.round((performance.now() - started) / 100) / 10;
}

export function prepareConsumerEnv(): ConsumerEnv {
  const root = cacheRoot();
  const requirements = readFileSync(join(HERE, 'requirements.txt'), 'utf8');
  const venv = join(root, `venv-${createHash('sha1').update(requirements).digest('hex').slice(0, 12)}`);
  const python = join(venv, 'bin', 'python');
  const llama = join(root, `llama.cpp-${NODE_LLAMA_CPP.replace(/[@/]/g, '-')}`);
  const tokenizers = join(root, 'tokenizers');
  const setupSeconds: Record<string, number> = {};

  setupSeconds.virtualenv = once(venv, (dir) => {
    run('python3', ['-m', 'venv', dir]);
    // Retries off: the index is local, and a mirror that cannot be reached should fail at once.
    run(python, ['-m', 'pip', 'install', '--quiet', '--retries', '0', '-r', join(HERE, 'requirements.txt')]);
  });
  setupSeconds.llamaCpp = once(llama, (dir) => {
    const npm = join(dir, 'npm');
    // Only the bundle is wanted: no install scripts, so no platform binaries are fetched or built.
    run('npm', ['install', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--prefix', npm, NODE_LLAMA_CPP]);
    run('git', ['clone', '--quiet', join(npm, 'node_modules', 'node-llama-cpp', 'llama', 'gitRelease.bundle'), join(dir, 'repo')]);
    rmSync(npm, { recursive: true, force: true });
  });
  const models = join(llama, 'repo', 'models');
  for (const vocab of VOCABS) {
    setupSeconds[`tokenizer ${vocab}`] = once(join(tokenizers, vocab), (dir) => {
      run(python, [join(HERE, 'build_tokenizer.py'), join(models, `ggml-vocab-${vocab}.gguf`), dir], { env: pythonEnv() });
    });
  }
  return { python, templates: join(models, 'templates'), tokenizers, setupSeconds };
}

/** Nothing the checks do may reach a hub: every model, template and tokenizer is local. */
export function pythonEnv(): NodeJS.ProcessEnv {
  return { ...process.env, HF_HUB_OFFLINE: '1', HF_DATASETS_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', HF_HUB_DISABLE_TELEMETRY: '1', TOKENIZERS_PARALLELISM: 'false', PYTHONDONTWRITEBYTECODE: '1' };
}
