import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { summarize, type Summary } from './stats';

/** One external command as a benchmark runs it: output goes to a file (or nowhere), never through a pipe we read. */
export interface BenchCommand {
  cmd: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Where stdout goes; /dev/null when unset. */
  stdoutFile?: string;
}

/** The command as a shell line, for reports and for rerunning it by hand. */
export function commandLine(c: BenchCommand): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const line = [c.cmd, ...c.args].map(quote).join(' ');
  const cd = c.cwd ? `(cd ${quote(c.cwd)} && ` : '';
  return `${cd}${line}${c.stdoutFile ? ` > ${quote(c.stdoutFile)}` : ''}${c.cwd ? ')' : ''}`;
}

/** Full path of an executable on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Runs a command to completion and returns its wall time in milliseconds; a failure throws with the end of its stderr. */
export function timeCommand(c: BenchCommand): number {
  const out = c.stdoutFile ? openSync(c.stdoutFile, 'w') : 'ignore';
  try {
    const started = performance.now();
    const result = spawnSync(c.cmd, c.args, {
      cwd: c.cwd,
      env: c.env ?? process.env,
      stdio: ['ignore', out, 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const ms = performance.now() - started;
    if (result.error) throw new Error(`${commandLine(c)} could not start: ${result.error.message}`);
    if (result.status !== 0) {
      const stderr = result.stderr?.toString().trim().slice(-2000) ?? '';
      throw new Error(`${commandLine(c)} exited with ${result.status ?? result.signal}${stderr ? `:\n${stderr}` : ''}`);
    }
    return ms;
  } finally {
    if (typeof out === 'number') closeSync(out);
  }
}

/**
 * Peak resident set size of the command in KiB, from GNU time (Debian package `time`);
 * undefined when /usr/bin/time is not installed.
 */
export function peakRssKb(c: BenchCommand): number | undefined {
  const gnuTime = '/usr/bin/time';
  if (!existsSync(gnuTime)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  try {
    const report = join(dir, 'rss');
    timeCommand({ ...c, cmd: gnuTime, args: ['-f', '%M', '-o', report, c.cmd, ...c.args] });
    const kb = Number(readFileSync(report, 'utf8').trim().split('\n').pop());
    return Number.isFinite(kb) ? kb : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Times several commands against each other: `warmup` untimed rounds, then `runs` rounds in which
 * the commands take turns going first, so drift on the machine (page cache, thermal, other load)
 * falls on all of them alike. Returns the summary of each command's wall times in seconds.
 */
export function timeInterleaved<K extends string>(
  commands: Record<K, BenchCommand>,
  runs: number,
  warmup = 1,
  onRound?: (round: number, seconds: Record<K, number>) => void,
): Record<K, Summary & { samples: number[] }> {
  const keys = Object.keys(commands) as K[];
  for (let w = 0; w < warmup; w++) for (const key of keys) timeCommand(commands[key]);
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < runs; round++) {
    const seconds = {} as Record<K, number>;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[(round + i) % keys.length];
      seconds[key] = timeCommand(commands[key]) / 1000;
      samples[key].push(seconds[key]);
    }
    onRound?.(round, seconds);
  }
  return Object.fromEntries(keys.map((k) => [k, { ...summarize(samples[k]), samples: samples[k] }])) as Record<K, Summary & { samples: number[] }>;
}

/** Runs a command for its output; a failure throws with its stderr. */
export function capture(cmd: string, args: string[], cwd?: string): string {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new Error(`${cmd} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}: ${result.stderr.trim().slice(-2000)}`);
  return result.stdout;
}
