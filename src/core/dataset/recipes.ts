import type { ExportFormat } from './options';

/**
 * The training recipes the dataset card prints, one per stack. test/consumers runs these same
 * values against a real export (with a tiny model, a short max_length and two steps in place of
 * the sizes a real run uses), so a recipe here is one that was seen to work.
 */

/** TRL's SFTConfig for the `hf` format; `max_length` comes from the export's token budget. */
export const TRL_SFT_CONFIG = {
  assistant_only_loss: true,
  per_device_train_batch_size: 1,
  gradient_accumulation_steps: 8,
  num_train_epochs: 3,
  learning_rate: 1e-5,
} as const;

/** The base model the card names: a Qwen2.5 template, which TRL knows how to mask (see the card). */
export const CARD_BASE_MODEL = 'Qwen/Qwen2.5-Coder-7B-Instruct';

/** LLaMA-Factory's training arguments for the `sharegpt` format (dataset_dir and dataset point at the export). */
export const LLAMA_FACTORY_CONFIG = {
  stage: 'sft',
  do_train: true,
  finetuning_type: 'lora',
  template: 'qwen',
  dataset: 'specialized',
  per_device_train_batch_size: 1,
  gradient_accumulation_steps: 8,
  num_train_epochs: 3,
  learning_rate: 1e-5,
} as const;

/** Keys the OpenAI fine-tuning API takes, per line and per message; the card's one-liner keeps only these. */
export const OPENAI_LINE_KEYS = ['messages', 'tools'] as const;
export const OPENAI_MESSAGE_KEYS = ['role', 'content', 'tool_calls', 'tool_call_id'] as const;

/** Which format each stack takes, as the card's table says. */
export const STACK_FORMATS: { stack: string; format: ExportFormat; note: string }[] = [
  { stack: 'TRL (SFTTrainer)', format: 'hf', note: 'the model\'s own chat template renders `tools` and `tool_calls`' },
  { stack: 'axolotl', format: 'hf', note: '`chat_template: tokenizer_default`, or `sera-hermes` with `chat_template: chatml`' },
  { stack: 'LLaMA-Factory', format: 'sharegpt', note: '`dataset_info.json` is written beside the data' },
  { stack: 'OpenAI fine-tuning API', format: 'openai', note: 'string `arguments`, as the API sends them' },
];

export function pythonKwargs(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}
