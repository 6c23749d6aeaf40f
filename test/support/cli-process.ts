import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const CLI_ENTRY = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `specialize <args>` from the sources as a real process, without blocking this one (which
 * may be serving the scripted teacher). No API key leaks in from the developer's environment.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SPECIALIZE_API_KEY: '', OPENAI_API_KEY: '', SPECIALIZE_BASE_URL: '', OPENAI_BASE_URL: '', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}
