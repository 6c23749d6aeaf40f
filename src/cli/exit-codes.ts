/**
 * What `specialize` exits with. README's "Exit codes" table says the same; scripts and CI jobs
 * branch on these, so a code keeps its meaning once published.
 */
export const EXIT = {
  ok: 0,
  /** A bug in specialize: the message carries the stack trace. */
  internal: 1,
  /** The command line is wrong: an unknown option, a bad value, a path that does not exist. */
  usage: 2,
  /** The command is right but cannot run here: the teacher does not answer, the run is held by another process, no functions. */
  cannotStart: 3,
  /** It ran and produced nothing: every sample failed, or nothing passed the export's filters. */
  nothingProduced: 4,
  /** A budget (--max-total-tokens, --max-minutes) stopped the run; run it again to resume. */
  budget: 5,
  /** Ctrl+C or SIGTERM stopped it; a run resumes where it stopped. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
