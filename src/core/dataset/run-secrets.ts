import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Trajectory } from '../agent/types';
import { Scrubber, type FoundValues, type SecretValue } from './scrub';
import { readSamples, type RunSource } from './select';

/**
 * Every secret value the patterns find in any trajectory of the runs, exported or not, so that
 * the export can replace each one wherever it occurs: a password the agent read in one place is
 * often repeated where nothing marks it as one (the teacher's prose, a later command, another
 * sample). Reads each trajectory once, one at a time, so memory stays flat.
 */
export async function collectRunSecrets(runs: RunSource[], abort: () => void): Promise<SecretValue[]> {
  const scrubber = new Scrubber({ patterns: true, knownSecrets: [], paths: [] });
  const values: FoundValues = new Map();
  const seen = new Set<string>();
  for (const run of runs) {
    for await (const record of readSamples(run)) {
      abort();
      for (const rollout of [record.rollout1, record.rollout2]) {
        if (!rollout?.trajectory) continue;
        const path = join(run.dir, rollout.trajectory);
        if (seen.has(path)) continue;
        seen.add(path);
        let trajectory: Trajectory;
        try {
          trajectory = JSON.parse(await readFile(path, 'utf8')) as Trajectory;
        } catch {
          continue; // missing or torn: the export drops it too
        }
        for (const text of textsOf(trajectory)) scrubber.scrub(text, [], values);
      }
    }
  }
  return [...values].map(([value, type]) => ({ value, type }));
}

/** The strings of a trajectory that reach an export: messages, reasoning, tool calls and their arguments. */
function* textsOf(trajectory: Trajectory): Generator<string> {
  for (const m of Array.isArray(trajectory.messages) ? trajectory.messages : []) {
    if (typeof m.content === 'string') yield m.content;
    if (typeof m.reasoning_content === 'string') yield m.reasoning_content;
    for (const call of m.tool_calls ?? []) {
      yield call.function?.name ?? '';
      const args = call.function?.arguments ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(args);
      } catch {
        yield args;
        continue;
      }
      yield* stringsIn(parsed);
    }
  }
}

function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* stringsIn(v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) yield* stringsIn(v);
}
