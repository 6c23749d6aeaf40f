import { simpleGit, type SimpleGit } from 'simple-git';
import { execProgram } from './process-host';

/**
 * Git settings that must hold for every git command we run on a copy, whatever the user's or
 * the agent's configuration says: no hooks, no fsmonitor daemon, no automatic gc, paths printed
 * as they are.
 */
export const SAFE_GIT_CONFIG = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.splitIndex=false',
  'core.quotePath=false',
  'core.autocrlf=false',
  'gc.auto=0',
  'maintenance.auto=false',
];

const configArgs = SAFE_GIT_CONFIG.flatMap((c) => ['-c', c]);

/** Variables that name programs for git to start; none of our git commands needs one. */
const PROGRAM_VARIABLES = new Set(['EDITOR', 'VISUAL', 'PAGER', 'PREFIX', 'SSH_ASKPASS']);

/**
 * Our process's environment without anything that would steer git: GIT_* (a GIT_DIR set by a
 * hook or a terminal would point git at another repository) and program variables.
 */
export function callerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    const key = k.toUpperCase();
    if (v !== undefined && !key.startsWith('GIT_') && !PROGRAM_VARIABLES.has(key)) env[k] = v;
  }
  return env;
}

/** Where a git command on a copy looks: our control repository, the copy as work tree, its own index. */
export interface CopyGitEnv {
  gitDir: string;
  workTree: string;
  indexFile: string;
  /** Object folders read in addition to the control repository's own (the user's object store). */
  alternates: string[];
  /** Where new objects go; default the control repository's. */
  objectDir?: string;
}

/**
 * The environment for git on a copy: only our control repository and settings count. The user's
 * global and system configuration are left out (their hooks, filters and helpers must not run on
 * agent-written files), and any GIT_* variables of the calling process are dropped.
 */
export function copyGitEnvironment(where: CopyGitEnv): NodeJS.ProcessEnv {
  return {
    ...callerEnvironment(),
    GIT_DIR: where.gitDir,
    GIT_WORK_TREE: where.workTree,
    GIT_INDEX_FILE: where.indexFile,
    ...(where.objectDir ? { GIT_OBJECT_DIRECTORY: where.objectDir } : {}),
    GIT_ALTERNATE_OBJECT_DIRECTORIES: where.alternates.join(':'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C',
  };
}

export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`git ${args.join(' ')} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${stderr.trim() || 'no message'}`);
  }
}

/**
 * Runs git straight through child_process, for the per-rollout path (reset, clean, diff).
 * simple-git waits an extra 50 ms after any command that prints nothing (its completion
 * plugin), which alone would exceed the whole setup-and-teardown budget of a rollout.
 */
export function gitExec(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return gitExecRaw(args, env, cwd).then((out) => out.toString('utf8'));
}

/** gitExec with the output as bytes (file names need not be UTF-8), started by the process host (see process-host.ts). */
export function gitExecRaw(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Buffer> {
  const full = [...configArgs, ...args];
  return execProgram('git', full, env, cwd, 512 * 1024 * 1024).then((r) => {
    if (r.failed) throw new GitCommandError(args, r.stderr.toString('utf8') || r.message, r.code);
    return r.stdout;
  });
}

/**
 * Several git commands in one request to the process host: a shell runs them in order and stops
 * at the first that fails; the output is the last one's. One start instead of one per command,
 * and a rollout's review waits on every start.
 */
export function gitExecSequence(commands: string[][], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const git = (args: string[]) => ['git', ...configArgs, ...args].map(shellQuote).join(' ');
  const script = [...commands.slice(0, -1).map((args) => `${git(args)} >/dev/null`), `exec ${git(commands[commands.length - 1])}`].join(' && ');
  return execProgram('/bin/sh', ['-c', script], env, cwd, 512 * 1024 * 1024).then((r) => {
    if (r.failed) throw new GitCommandError(commands.flat(), r.stderr.toString('utf8') || r.message, r.code);
    return r.stdout.toString('utf8');
  });
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

const ALLOWED_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CONFIG_NOSYSTEM',
  'GIT_CONFIG_GLOBAL',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_TERMINAL_PROMPT',
  'GIT_OPTIONAL_LOCKS',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
];

/**
 * simple-git for the user's repository and the one-off steps (discovery, snapshot), with the
 * caller's environment cleaned (callerEnvironment) plus `extra`. The hooks and fsmonitor
 * overrides are ours, so simple-git's guard for them is relaxed.
 */
export function userRepoGit(baseDir: string, extra: NodeJS.ProcessEnv = {}): SimpleGit {
  const git = simpleGit({
    baseDir,
    config: SAFE_GIT_CONFIG.filter((c) => !c.startsWith('core.autocrlf')),
    allowEnvironment: ALLOWED_ENV,
    unsafe: { allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true, allowUnsafeConfigPaths: true },
  });
  git.env({ ...callerEnvironment(), ...extra });
  return git;
}
