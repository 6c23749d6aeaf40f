import { JailError, type SandboxCopy } from '../sandbox';
import { TeacherError, type ChatMessage, type Completion, type Teacher, type ToolCall } from '../teacher/types';
import { rolloutStop } from './deadline';
import { Editor, ToolInputError, type EditorArgs } from './editor';
import { clipObservation, describeCommandResult } from './observation';
import { NO_TOOL_CALL, reviewMessage, systemPrompt, taskMessage } from './prompts';
import { agentTools } from './tool-specs';
import { DEFAULT_LIMITS, type AgentExit, type AgentLimits, type AgentResult, type StepRecord, type Trajectory } from './types';

export interface AgentRun {
  task: string;
  teacher: Teacher;
  sandbox: SandboxCopy;
  limits?: Partial<AgentLimits>;
  signal?: AbortSignal;
}

/**
 * One rollout: the teacher and the tools take turns until the agent submits or a limit ends it.
 * Problems the agent can fix come back to it as observations; only limits, cancellation and
 * teacher failures end the loop. The caller keeps the trajectory it returns.
 */
export async function runAgent(run: AgentRun): Promise<AgentResult> {
  const limits: AgentLimits = { ...DEFAULT_LIMITS, ...run.limits };
  const { teacher, sandbox } = run;
  const stop = rolloutStop(run.signal, limits.maxWallMs);
  const { signal } = stop;
  const withBash = sandbox.mode !== 'off';
  const tools = agentTools(withBash);
  const editor = new Editor(sandbox);
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
  let reviewed = !limits.reviewOnSubmit;
  // The review's diff is the final patch as long as no tool ran after it: a command's processes
  // end with the command (its pid namespace, container or cgroup goes), so only a tool call
  // changes the copy. It saves a diff (three git processes) per rollout, worth 5-25% of a run's
  // throughput on a busy machine. (In host mode without a cgroup, a daemon that double-forked
  // away could still write later: host mode is for teachers one trusts.)
  let reviewedDiff: string | null = null;
  let exit: AgentExit | undefined;
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
          const diff = await sandbox.diff();
          reviewedDiff = diff;
          trajectory.messages.push(toolMessage(call, clipObservation(reviewMessage(diff), limits.maxObservationChars * 2)));
        } else {
          trajectory.messages.push(toolMessage(call, 'Submitted.'));
          exit = { status: 'submitted' };
        }
        continue;
      }
      let observation: string;
      reviewedDiff = null;
      try {
        observation = await executeTool(call, { sandbox, editor, limits, withBash, signal });
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
  }

  trajectory.exit = exit!;
  trajectory.ms = Math.round(performance.now() - started);
  const patch = reviewedDiff ?? (await sandbox.diff());
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
