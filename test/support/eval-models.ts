/**
 * Scripted models under evaluation, each a real OpenAI-compatible server on localhost. They
 * know the tasks' reference patches (the test hands them over) and behave differently:
 *
 *   'oracle'  applies every reference patch and submits: recall 1 everywhere
 *   'half'    applies the reference on the tasks it is told to, elsewhere makes an unrelated edit
 *   'mute'    looks around and never submits, until the step limit ends it
 */
import type { RecordedRequest, Reply } from './scripted-teacher';
import { toolCall } from './scripted-teacher';

export type EvalBehaviour = 'oracle' | 'half' | 'mute';

export interface KnownTask {
  /** Text the task statement holds (the whole statement, or a part that names one task only). */
  statement: string;
  reference: string;
}

function fileOf(patch: string): string {
  return /^\+\+\+ b\/(.+)$/m.exec(patch)?.[1] ?? 'README.md';
}

/**
 * `solves` (for 'half') says which tasks it reproduces. The patch goes in through `git apply` on a
 * here-document, which works the same on the host and inside bubblewrap.
 */
export function evalModel(behaviour: EvalBehaviour, tasks: KnownTask[], solves: (t: KnownTask) => boolean = () => true) {
  return (req: RecordedRequest): Reply => {
    const messages = req.body.messages ?? [];
    const prompt = String(messages[1]?.content ?? '');
    const step = messages.filter((m) => m.role === 'assistant').length;
    if (behaviour === 'mute') return toolCall('bash', { command: 'ls' });
    const task = tasks.find((t) => prompt.includes(t.statement.trim()));
    if (step > 0) return toolCall('submit', {});
    if (!task) return toolCall('bash', { command: 'echo "no known task" >> NOTES.txt' });
    if (behaviour === 'oracle' || solves(task)) {
      return toolCall('bash', { command: `git apply --whitespace=nowarn - <<'__REFERENCE__'\n${task.reference}__REFERENCE__` });
    }
    return toolCall('bash', { command: `echo '# reviewed for the task' >> ${fileOf(task.reference)}` });
  };
}
