import { reasoningField, type RawAnswer } from './answer';

interface DeltaToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: unknown };
}

/** Builds one answer from streamed chunks: text, reasoning, tool-call fragments, and usage from the last chunk. */
export class StreamAccumulator {
  private content = '';
  private sawContent = false;
  private reasoning = '';
  private calls: { id?: string; name: string; arguments: string }[] = [];
  private finishReason: string | null = null;
  private usage: RawAnswer['usage'] = null;

  add(chunk: unknown): void {
    const c = chunk as { choices?: unknown[]; usage?: RawAnswer['usage'] };
    if (c?.usage) this.usage = c.usage;
    const choice = c?.choices?.[0] as { delta?: Record<string, unknown>; finish_reason?: string | null } | undefined;
    if (!choice) return;
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string') {
      this.content += delta.content;
      this.sawContent = true;
    }
    this.reasoning += reasoningField(delta);
    if (Array.isArray(delta.tool_calls)) {
      for (const tc of delta.tool_calls as DeltaToolCall[]) this.addToolCall(tc);
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  /** The stream is complete once a finish reason arrived; without one the answer was cut off. */
  get complete(): boolean {
    return this.finishReason !== null;
  }

  finish(): RawAnswer {
    return {
      content: this.sawContent ? this.content : null,
      reasoning: this.reasoning,
      toolCalls: this.calls.filter((c) => c.name || c.arguments),
      finishReason: this.finishReason,
      usage: this.usage,
    };
  }

  private addToolCall(tc: DeltaToolCall): void {
    const slot = this.slotFor(tc);
    const name = tc.function?.name;
    // Names normally arrive once; some servers repeat the whole name in every fragment.
    if (name && slot.name !== name) slot.name += name;
    const args = tc.function?.arguments;
    if (typeof args === 'string') slot.arguments += args;
    else if (args !== undefined && args !== null) slot.arguments = JSON.stringify(args);
  }

  private slotFor(tc: DeltaToolCall): { id?: string; name: string; arguments: string } {
    let index = tc.index;
    if (typeof index !== 'number') {
      // No index: a new id starts a new call, otherwise fragments continue the latest one.
      const known = tc.id ? this.calls.findIndex((c) => c.id === tc.id) : -1;
      if (known !== -1) index = known;
      else index = tc.id || this.calls.length === 0 ? this.calls.length : this.calls.length - 1;
    }
    while (this.calls.length <= index) this.calls.push({ name: '', arguments: '' });
    const slot = this.calls[index];
    if (tc.id && !slot.id) slot.id = tc.id;
    return slot;
  }
}
