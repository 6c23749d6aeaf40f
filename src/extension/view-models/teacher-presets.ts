/** Starting points for Configure Teacher; each sets the endpoint and says what else is needed. */
export interface TeacherPreset {
  id: string;
  label: string;
  baseUrl: string;
  needsKey: boolean;
  modelHint: string;
  detail: string;
}

export const TEACHER_PRESETS: TeacherPreset[] = [
  { id: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', needsKey: false, modelHint: 'qwen2.5-coder:7b', detail: 'Local. Start it with "ollama serve", then "ollama pull MODEL".' },
  { id: 'vllm', label: 'vLLM', baseUrl: 'http://localhost:8000/v1', needsKey: false, modelHint: 'Qwen/Qwen2.5-Coder-32B-Instruct', detail: 'Local or on a GPU server: "vllm serve MODEL --enable-auto-tool-choice --tool-call-parser hermes".' },
  { id: 'lmstudio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', needsKey: false, modelHint: 'the model loaded in LM Studio', detail: 'Local. Start the server from LM Studio\'s Developer tab.' },
  { id: 'llamacpp', label: 'llama.cpp server', baseUrl: 'http://localhost:8080/v1', needsKey: false, modelHint: 'the model given to llama-server', detail: 'Local: "llama-server -m MODEL.gguf --jinja" (tool calls need --jinja).' },
  { id: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', needsKey: true, modelHint: 'gpt-4.1', detail: 'Hosted. Needs an API key; your code is sent to OpenAI.' },
  { id: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true, modelHint: 'qwen/qwen3-coder', detail: 'Hosted. Needs an API key; your code is sent to the chosen provider.' },
  { id: 'custom', label: 'Custom endpoint…', baseUrl: '', needsKey: false, modelHint: '', detail: 'Any OpenAI-compatible chat completions endpoint.' },
];
