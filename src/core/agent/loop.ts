import { rename, writeFile } from 'node:fs/promises';
import { JailError, type SandboxCopy, type SandboxMode } from '../sandbox';
import { TeacherError, type ChatMessage, type Completion, type Teacher, type ToolCall } from '../teacher/types';
import { rolloutStop } from './deadline';
import { Editor, ToolInputError, type EditorArgs } from './editor';
import { clipObservation, describeCommandResult } from './observation';
import { NO_TOOL_CALL, reviewMessage, systemPrompt, taskMessage } from './prompts';
import { agentTools } from './tool-specs';
import { DEFAULT_LIMITS, type AgentExit, type AgentLimits, type AgentResult, type StepRecord, type Trajectory } from './types';

/**
 * A copy still being prepared. The first model call needs no copy, so a rollout can start with it
 * while its copy is reset; the loop waits for the copy only when a tool first needs it.
 */
export interface PendingCopy {
  mode: SandboxMode;
  ready: Promise<SandboxCopy>;
}

export interface AgentRun {
  task: string;
  teacher: Teacher;
  sandbox: SandboxCopy | PendingCopy;
  limits?: Partial<AgentLimits>;
  signal?: AbortSignal;
  /**
   * Written (atomically) after every step, while the next model call runs, so a crash loses at
   * most the step in flight and the one before it; complete when runAgent returns.
   */
  trajectoryPath?: string;
  onStep?: (trajectory: Trajectory, step: StepRecord) => void;
}

/**
 * One rollout: the teacher and the tools take turns until the agent submits or a limit ends it.
 * Problems the agent can fix come back to it as observations; only limits, cancellation and
 * teacher failures end the loop.
 */
export async function runAgent(run: AgentRun): Promise<AgentResult> {
  const limits: AgentLimits = { ...DEFAULT_LIMITS, ...run.limits };
  const { teacher } = run;
  const stop = rolloutStop(run.signal, limits.maxWallMs);
  const { signal } = stop;
  const withBash = run.sandbox.mode !== 'off';
  const tools = agentTools(withBash);
  let sandbox: SandboxCopy | null = 'ready' in run.sandbox ? null : run.sandbox;
  let editor: Editor | null = null;
  const copy = async (): Promise<{ sandbox: SandboxCopy; editor: Editor }> => {
    sandbox ??= await (run.sandbox as PendingCopy).ready;
    editor ??= new Editor(sandbox);
    return { sandbox, editor };
  };
  const started = performance.now();
  const trajectory: Trajectory = {
    task: run.task,
    model: teacher.model,
    messages: [
      { role: 'system', content: systemPrompt(withBash) },
      { role: 'user', content: taskMessage(run.task) },
    ],
    tools,
    steps: [],
    usage: { promptTokens: 0, completionTokens: 0 },
    exit: null,
    ms: 0,
  };
  // Asynchronous, so that with many rollouts in flight one slow disk write does not stall them all.
  // Saves run one after another: each writes the whole trajectory as it was when it was asked for.
  let saved: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    trajectory.ms = Math.round(performance.now() - started);
    const text = run.trajectoryPath ? JSON.stringify(trajectory) : null;
    saved = saved.then(() => (text === null ? undefined : writeAtomically(run.trajectoryPath!, text)));
    return saved;
  };

  let reviewed = !limits.reviewOnSubmit;
  let exit: AgentExit | undefined;
  // The diff shown at the review stays the patch when no tool ran after it (the usual case: the
  // agent submits again at once), which spares two git processes per rollout.
  let reviewedDiff: string | null = null;
  // Holds no step yet: written while the first model call runs.
  let lagging = save();
  lagging.catch(() => undefined); // awaited after the first step; a rejection must not go unhandled meanwhile
  for (let step = 1; !exit; step++) {
    exit = stop.reason();
    if (exit) break;
    if (step > limits.maxSteps) {
      exit = { status: 'step-limit', reason: `no submit within ${limits.maxSteps} model calls` };
      break;
    }
    let completion: Completion;
    try {
      completion = await teacher.complete(trajectory.messages, tools, signal);
    } catch (error) {
      exit = stop.reason() ?? teacherExit(error, signal);
      break;
    }
    const toolStarted = performance.now();
    const message: ChatMessage = { ...completion.message, role: 'assistant' };
    trajectory.messages.push(message);
    trajectory.usage.promptTokens += completion.usage.promptTokens;
    trajectory.usage.completionTokens += completion.usage.completionTokens;

    const calls = message.tool_calls ?? [];
    if (!calls.length) {
      trajectory.messages.push({ role: 'user', content: NO_TOOL_CALL });
    }
    for (const [index, call] of calls.entries()) {
      if (exit) {
        trajectory.messages.push(toolMessage(call, `Not run: ${exit.status === 'submitted' ? 'the work was already submitted' : stopped(exit)}.`));
        continue;
      }
      if (index >= limits.maxToolCallsPerMessage) {
        trajectory.messages.push(toolMessage(call, `Not run: at most ${limits.maxToolCallsPerMessage} tool calls run per message; call it again in a later message if it is still needed.`));
        continue;
      }
      if (call.function.name === 'submit') {
        if (!reviewed) {
          reviewed = true;
          const diff = await (await copy()).sandbox.diff();
          reviewedDiff = diff;
          trajectory.messages.push(toolMessage(call, clipObservation(reviewMessage(diff), limits.maxObservationChars * 2)));
        } else {
          trajectory.messages.push(toolMessage(call, 'Submitted.'));
          exit = { status: 'submitted' };
        }
        continue;
      }
      reviewedDiff = null; // any tool may have changed the copy
      let observation: string;
      try {
        observation = await executeTool(call, { ...(await copy()), limits, withBash, signal });
      } catch (error) {
        if (!signal?.aborted) throw error;
        exit = stop.reason() ?? { status: 'cancelled' };
        trajectory.messages.push(toolMessage(call, `Not finished: ${stopped(exit)}.`));
        continue;
      }
      trajectory.messages.push(toolMessage(call, clipObservation(observation, limits.maxObservationChars)));
    }

    const record: StepRecord = {
      step,
      teacherMs: Math.round(completion.ms),
      toolMs: Math.round(performance.now() - toolStarted),
      promptTokens: completion.usage.promptTokens,
      completionTokens: completion.usage.completionTokens,
      estimatedUsage: completion.usage.estimated,
      toolCalls: calls.length,
      toolCallSource: completion.toolCallSource,
    };
    trajectory.steps.push(record);
    const spent = trajectory.usage.promptTokens + trajectory.usage.completionTokens;
    if (!exit && limits.maxTokens !== undefined && spent >= limits.maxTokens) {
      exit = { status: 'token-budget', reason: `${spent} tokens used, budget ${limits.maxTokens}` };
    }
    // The next model call waits for the save before this one, not for this one: the disk gets a
    // whole model call's time. The last save (with the exit, below) is awaited.
    if (!exit) {
      await lagging;
      lagging = save();
    }
    run.onStep?.(trajectory, record);
  }

  trajectory.exit = exit!;
  await save();
  const patch = reviewedDiff ?? (await (await copy()).sandbox.diff());
  return {
    trajectory,
    patch,
    exit: exit!,
    steps: trajectory.steps.length,
    usage: { ...trajectory.usage },
    ms: trajectory.ms,
  };
}

interface ToolContext {
  sandbox: SandboxCopy;
  editor: Editor;
  limits: AgentLimits;
  withBash: boolean;
  signal?: AbortSignal;
}

async function executeTool(call: ToolCall, ctx: ToolContext): Promise<string> {
  const name = call.function.name;
  let args: Record<string, unknown>;
  try {
    const parsed: unknown = call.function.arguments.trim() ? JSON.parse(call.function.arguments) : {};
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    args = parsed as Record<string, unknown>;
  } catch {
    return `The arguments of ${name} are not a JSON object: ${call.function.arguments.slice(0, 500)}\nCall the tool again with valid JSON arguments.`;
  }
  try {
    if (name === 'bash' && ctx.withBash) {
      if (typeof args.command !== 'string' || !args.command.trim()) return 'bash needs "command", the command line to run.';
      const result = await ctx.sandbox.run(args.command, {
        timeoutMs: ctx.limits.commandTimeoutMs,
        maxOutputBytes: ctx.limits.maxCommandOutputBytes,
        signal: ctx.signal,
      });
      return describeCommandResult(result, ctx.limits.commandTimeoutMs);
    }
    if (name === 'str_replace_editor') return ctx.editor.execute(args as EditorArgs);
    const available = ctx.withBash ? 'bash, str_replace_editor, submit' : 'str_replace_editor, submit';
    return `There is no tool named "${name}". The tools are: ${available}.`;
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    if (error instanceof ToolInputError || error instanceof JailError) return (error as Error).message;
    // Unexpected failures are reported to the agent without host paths or the user's name.
    return `The ${name} tool failed: ${ctx.sandbox.maskHostPaths(String((error as Error)?.message ?? error))}`;
  }
}

function stopped(exit: AgentExit): string {
  return exit.status === 'time-limit' ? "the rollout's wall-time budget ran out" : 'the run was cancelled';
}

function toolMessage(call: ToolCall, content: string): ChatMessage {
  return { role: 'tool', tool_call_id: call.id, content };
}

function teacherExit(error: unknown, signal?: AbortSignal): AgentExit {
  if (signal?.aborted) return { status: 'cancelled' };
  if (error instanceof TeacherError) {
    if (error.kind === 'cancelled') return { status: 'cancelled' };
    if (error.kind === 'context-length') return { status: 'context-length', reason: error.message };
    return { status: 'teacher-error', reason: error.message };
  }
  return { status: 'teacher-error', reason: (error as Error)?.message ?? String(error) };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
