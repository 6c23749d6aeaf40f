export { TeacherError, type TeacherErrorKind } from './errors';

export interface ToolCall {
  id: string;
  type: 'function';
  /** `arguments` is JSON text, kept exactly as the model wrote it when it is not valid JSON. */
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** Kept from the server's reasoning field or from <think> blocks; never sent back to the server. */
  reasoning_content?: string;
}

export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** True when the server sent no usage and the numbers come from estimateTokens. */
  estimated: boolean;
}

export interface Completion {
  /** The assistant message, tool calls normalised into tool_calls whatever form they came in. */
  message: ChatMessage;
  usage: Usage;
  /** Wall time including retries and backoff. */
  ms: number;
  finishReason: string | null;
  toolCallSource: 'native' | 'text' | 'none';
  /** The base URL that answered. */
  endpoint: string;
  attempts: number;
}

export interface Teacher {
  readonly model: string;
  complete(messages: ChatMessage[], tools: ToolSpec[], signal?: AbortSignal): Promise<Completion>;
}

export interface TeacherConfig {
  baseUrls: string[];
  model: string;
  /** Never logged or written; local servers need none. */
  apiKey?: string;
  /** Default 0.6. */
  temperature?: number;
  maxTokens?: number;
  /** Per attempt, covering the whole answer (a streamed body included). Default 600000. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, resets and timeouts. Default 4. */
  maxRetries?: number;
  extraHeaders?: Record<string, string>;
  /** Merged into every request body (vLLM / Ollama options such as top_k or chat_template_kwargs). */
  extraBody?: Record<string, unknown>;
  /** Default false. */
  stream?: boolean;
  /** First backoff delay; doubles per retry, with jitter. Default 1000. */
  retryBaseMs?: number;
  /** Longest backoff delay (a server's Retry-After may ask for more, up to 5 minutes). Default 30000. */
  retryMaxMs?: number;
  /** Consecutive failures after which an endpoint is set aside while others remain. Default 3. */
  endpointFailureLimit?: number;
  /** How long a failing endpoint is set aside. Default 60000. */
  endpointCooldownMs?: number;
}

interface CheckResult {
  /** The model answered a tool-call round trip (natively or as text). */
  ok: boolean;
  /** Listed models (empty when a server has no model list). */
  models: string[];
  modelServed: boolean;
  toolCalls: 'native' | 'text' | 'none';
  ms: number;
  /** One sentence saying what failed and what to do. */
  error?: string;
}

/** For all endpoints together: ok when every one is, with the weakest tool-call form seen. */
export interface ConnectionReport extends CheckResult {
  endpoints: EndpointReport[];
}

export interface EndpointReport extends CheckResult {
  url: string;
}
