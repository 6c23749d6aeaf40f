import { Option } from 'commander';
import { CliError } from './errors';
import { positiveNumber } from './options';

const MAX_REQUEST_SECONDS = 86_400;
const MAX_ROLLOUT_MINUTES = 10_080;

// The bounds on one rollout that `generate` and `eval` share: how long one model answer and one
// whole rollout may take.

export function requestTimeoutOption(who: string): Option {
  return new Option('--request-timeout <seconds>', `longest wait for one ${who} answer; a slower one is abandoned and retried (up to 4 times)`)
    .argParser(positiveNumber('--request-timeout'))
    .default(600);
}

export function rolloutMinutesOption(): Option {
  return new Option('--rollout-minutes <n>', 'wall-time budget of one rollout; one that runs longer stops with status time-limit').argParser(positiveNumber('--rollout-minutes')).default(60);
}

/** The two options in milliseconds, refused past a day per answer and a week per rollout. */
export function agentBounds(opts: { requestTimeout: number; rolloutMinutes: number }): { requestTimeoutMs: number; rolloutWallMs: number } {
  if (opts.requestTimeout > MAX_REQUEST_SECONDS) throw new CliError(`--request-timeout takes at most ${MAX_REQUEST_SECONDS} seconds (a day); got ${opts.requestTimeout}.`);
  if (opts.rolloutMinutes > MAX_ROLLOUT_MINUTES) throw new CliError(`--rollout-minutes takes at most ${MAX_ROLLOUT_MINUTES} minutes (a week); got ${opts.rolloutMinutes}.`);
  return { requestTimeoutMs: Math.round(opts.requestTimeout * 1000), rolloutWallMs: Math.round(opts.rolloutMinutes * 60_000) };
}
