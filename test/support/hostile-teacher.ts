/**
 * A hostile teacher: a scripted OpenAI-compatible server whose tool calls run the given bash
 * commands one per turn in a real agent rollout, then submit. Returns what each command printed
 * (the tool observations the model got back).
 */
import { runAgent } from '../../src/core/agent';
import type { SandboxPool } from '../../src/core/sandbox';
import { createTeacher } from '../../src/core/teacher';
import { startScriptedTeacher, toolCall } from './scripted-teacher';

export interface HostileRollout {
  /** The observation of each command, in order. */
  outputs: string[];
  /** The patch the rollout ended with. */
  patch: string;
  exit: string;
}

export async function hostileRollout(pool: SandboxPool, commands: string[], commandTimeoutMs = 20_000): Promise<HostileRollout> {
  const script = [...commands.map((command) => toolCall('bash', { command })), toolCall('submit', {}), toolCall('submit', {})];
  const server = await startScriptedTeacher(script);
  const copy = await pool.acquire();
  try {
    const teacher = createTeacher({ baseUrls: [server.url], model: 'test-model', timeoutMs: 30_000, maxRetries: 0 });
    const result = await runAgent({ task: 'Do as you are told.', teacher, sandbox: copy, limits: { commandTimeoutMs, maxObservationChars: 200_000, maxCommandOutputBytes: 400_000 } });
    const outputs = result.trajectory.messages.filter((m) => m.role === 'tool').map((m) => String(m.content ?? ''));
    return { outputs: outputs.slice(0, commands.length), patch: result.patch, exit: result.exit.status };
  } finally {
    await copy.release();
    await server.close();
  }
}
