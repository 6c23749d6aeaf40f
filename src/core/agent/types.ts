import { RUN_DEFAULTS } from '../defaults';
import type { ChatMessage, ToolSpec } from '../teacher/types';

export type ExitStatus =
  | 'submitted'
  | 'step-limit'
  | 'token-budget'
  | 'context-length'
  | 'time-limit'
  | 'cancelled'
  | 'teacher-error';

export interface AgentLimits {
  /** Model calls per rollout (the reference's default is 115). */
  maxSteps: number;
  /** Prompt plus completion tokens over the whole rollout; unlimited when absent. */
  maxTokens?: number;
  /** Tool outputs longer than this are clipped, with a marker saying so. */
  maxObservationChars: number;
  commandTimeoutMs: number;
  /** What the command runner keeps of one command's output before the observation is clipped. */
  maxCommandOutputBytes: number;
  /** Show the diff on the first submit and ask for a clean-up before the final submit. */
  reviewOnSubmit: boolean;
  /** Tool calls run from one message; the rest are answered "not run" (a message may hold hundreds). */
  maxToolCallsPerMessage: number;
  /** Wall time of the whole rollout (teacher calls and tools); unlimited when absent. */
  maxWallMs?: number;
}

export const DEFAULT_LIMITS: AgentLimits = {
  maxSteps: RUN_DEFAULTS.maxSteps,
  maxObservationChars: 10_000,
  commandTimeoutMs: 120_000,
  maxCommandOutputBytes: 1_000_000,
  reviewOnSubmit: true,
  maxToolCallsPerMessage: 16,
};

export interface StepRecord {
  step: number;
  teacherMs: number;
  toolMs: number;
  promptTokens: number;
  completionTokens: number;
  estimatedUsage: boolean;
  toolCalls: number;
  toolCallSource: 'native' | 'text' | 'none';
}

export interface AgentExit {
  status: ExitStatus;
  reason?: string;
}

export interface Trajectory {
  task: string;
  model: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  steps: StepRecord[];
  usage: { promptTokens: number; completionTokens: number };
  exit: AgentExit | null;
  ms: number;
}

export interface AgentResult {
  trajectory: Trajectory;
  patch: string;
  exit: AgentExit;
  steps: number;
  usage: { promptTokens: number; completionTokens: number };
  ms: number;
}
