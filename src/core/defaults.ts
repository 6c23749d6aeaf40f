import { join, resolve } from 'node:path';

/**
 * Defaults and names that core, the CLI and the extension share, in one place. package.json
 * repeats the settings' defaults for VS Code's settings editor (and its version); a unit test
 * checks those against this file.
 */
export const TOOL_NAME = 'repo-specializer';
export const TOOL_VERSION = '0.1.0';

/** Ollama's OpenAI-compatible endpoint: the teacher tried when none is given. */
export const DEFAULT_BASE_URL = 'http://localhost:11434/v1';

/** A run's settings when neither a flag nor a setting says otherwise (the SERA reference's step limit and temperature). */
const runDefaults = {
  samples: 100,
  concurrency: 8,
  threshold: 0.5,
  maxSteps: 115,
  temperature: 0.6,
  seed: '0',
  demonstrations: 'builtin',
  perFileCap: 5,
  instancesPerFunction: 1,
  minFunctionLines: 3,
};
export const RUN_DEFAULTS: Readonly<typeof runDefaults> = runDefaults;

/**
 * At most this many processes (threads included) at once for one agent command in the bwrap,
 * host and docker sandboxes: room for a parallel build or test run, not for a fork bomb.
 */
export const SANDBOX_MAX_PROCESSES = 1024;

/** Runs live in the repository by default, in a folder that ignores itself in git: `<repo>/.specializer/runs/<run-id>`. */
export const RUNS_FOLDER = ['.specializer', 'runs'] as const;

/** Exports the extension proposes go beside the runs, `<repo>/.specializer/exports/<run-id>-<format>`, also ignored by git. */
export const EXPORTS_FOLDER = ['.specializer', 'exports'] as const;

/** The files and folders of a run directory (docs/RUN_FORMAT.md). */
export const FILES = {
  manifest: 'run.json',
  plan: 'plan.jsonl',
  stages: 'stages.jsonl',
  samples: 'samples.jsonl',
  events: 'events.jsonl',
  decisions: 'decisions.jsonl',
  trajectories: 'trajectories',
  lock: 'lock.json',
  /** The git objects of the snapshot commit of a run started with uncommitted changes. */
  snapshot: 'snapshot-objects',
  ignore: '.gitignore',
} as const;

export function defaultRunsFolder(repo: string): string {
  return join(resolve(repo), ...RUNS_FOLDER);
}
