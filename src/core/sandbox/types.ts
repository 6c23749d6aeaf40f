/** How the agent's `bash` tool runs: bubblewrap, a docker container, plainly on the host, or not at all. */
export type SandboxMode = 'bwrap' | 'docker' | 'host' | 'off';

export interface SandboxOptions {
  /** The user's repository: any folder inside a git work tree. */
  repoRoot: string;
  /** Commit the copies start from; default 'HEAD'. */
  baseRef?: string;
  /**
   * Start from a snapshot commit of the user's uncommitted changes (tracked and untracked files
   * git does not ignore) on top of `baseRef`. The snapshot is written into the pool's own object
   * store, so the user's working tree, index, refs, stash and object store stay untouched.
   */
  includeUncommitted?: boolean;
  /**
   * A lasting object store (e.g. inside a run directory) for the snapshot commit, so a later pool
   * can start from the same snapshot when the run resumes. Default: the pool's own store, which
   * goes away with the pool.
   */
  snapshotStore?: string;
  /** Default: 'bwrap' on Linux when bubblewrap works, else 'off'. 'host' is never chosen by default. */
  mode?: SandboxMode;
  /** Image for mode 'docker'. */
  dockerImage?: string;
  /**
   * Folder that holds this repository's pools. Default: one folder per repository under
   * os.tmpdir(), outside the user's workspace. Must not be inside the repository.
   */
  poolDir?: string;
  /** Processes (threads included) one command may have at once; default SANDBOX_MAX_PROCESSES. */
  maxProcesses?: number;
}

export interface RunOptions {
  timeoutMs: number;
  /** Output beyond this many bytes is clipped from the middle, with a marker saying how much. */
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export interface CommandResult {
  /** Null when the command was killed (timeout) or ended by a signal we sent. */
  exitCode: number | null;
  /** stdout and stderr interleaved, clipped, host paths mapped to what the agent sees. */
  output: string;
  timedOut: boolean;
  truncated: boolean;
  ms: number;
}

export const AGENT_ROOT = '/testbed';

export interface SandboxCopy {
  /** Real path of the copy on disk. */
  readonly root: string;
  /** Where the agent sees the copy. */
  readonly agentRoot: typeof AGENT_ROOT;
  readonly mode: SandboxMode;
  /** Runs a shell command in the copy. Throws in mode 'off'; rejects with an AbortError when `signal` aborts. */
  run(command: string, opts: RunOptions): Promise<CommandResult>;
  /** Resolves '/testbed/x' or 'x' to a real path inside the copy; throws JailError for anything else. */
  toHostPath(agentPath: string): string;
  /** Maps a real path inside the copy to its '/testbed/...' form; throws JailError for paths outside. */
  toAgentPath(hostPath: string): string;
  /** Replaces host paths (the copy, the user's repository, the home folder) and the user name in text meant for the agent. */
  maskHostPaths(text: string): string;
  /** `git diff` against the base commit, new files included, binary files summarised, a/ b/ prefixes. */
  diff(): Promise<string>;
  /** Resets and cleans the copy and returns it to the pool. Safe to call more than once. */
  release(): Promise<void>;
}
