import type { Teacher } from '../teacher/types';

export interface JudgeVerdict {
  verdict: 'yes' | 'no' | 'unclear';
  raw: string;
  usage: { promptTokens: number; completionTokens: number };
}

/** A yes/no check that the rollout-1 patch is a sensible change for its instruction. */
export async function judgePatch(teacher: Teacher, instruction: string, patch: string, signal?: AbortSignal): Promise<JudgeVerdict> {
  const completion = await teacher.complete(
    [
      {
        role: 'system',
        content:
          'You review code changes. Answer with one word, YES or NO, then at most two sentences of reason. YES means the change is a plausible, coherent response to the request and does not break the code in an obvious way.',
      },
      { role: 'user', content: `Request:\n${instruction}\n\nChange:\n\`\`\`diff\n${patch.slice(0, 16_000)}\n\`\`\`\n\nIs this change a valid response to the request?` },
    ],
    [],
    signal,
  );
  const raw = (completion.message.content ?? '').replace(/<think>[\s\S]*?<\/think>/g, '').trim();
  const first = raw.match(/\b(yes|no)\b/i)?.[1]?.toLowerCase();
  return {
    verdict: first === 'yes' ? 'yes' : first === 'no' ? 'no' : 'unclear',
    raw: raw.slice(0, 2000),
    usage: { promptTokens: completion.usage.promptTokens, completionTokens: completion.usage.completionTokens },
  };
}
