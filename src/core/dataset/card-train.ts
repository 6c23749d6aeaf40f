import type { ExportFormat, ThinkMode } from './options';
import { CARD_BASE_MODEL, LLAMA_FACTORY_CONFIG, OPENAI_LINE_KEYS, OPENAI_MESSAGE_KEYS, pythonKwargs, STACK_FORMATS, TRL_SFT_CONFIG } from './recipes';

/**
 * The card's "Train on it" section: which format each stack takes, then the recipe for the
 * stack this export was made for. Each recipe is the one test/consumers runs on a real export.
 */
export function trainSection(format: ExportFormat, maxTokens: number, validation: boolean, think: ThinkMode): string[] {
  const lines = [
    '## Train on it',
    '',
    '| stack | export with | |',
    '| --- | --- | --- |',
    ...STACK_FORMATS.map((s) => `| ${s.stack} | \`--format ${s.format}\` | ${s.note} |`),
    '',
  ];
  const length = maxTokens || 32768;
  if (format === 'hf') lines.push(...trl(length, validation), '', ...axolotl(format, length, validation));
  else if (format === 'sharegpt') lines.push(...llamaFactory(length, validation));
  else if (format === 'openai') lines.push(...openai());
  else lines.push(...axolotl(format, length, validation));
  if (think === 'keep') lines.push('', 'Reasoning is in `reasoning_content`: templates that render it (Qwen3) train on it, the others leave it out; export with `--think wrap` to put it in the content inside `<think>` tags.');
  return lines;
}

function trl(length: number, validation: boolean): string[] {
  return [
    'TRL: the data as it is, through the model\'s own chat template, with the loss on the assistant turns only:',
    '',
    '```python',
    'from datasets import load_dataset',
    'from trl import SFTConfig, SFTTrainer',
    '',
    'ds = load_dataset("path/to/this/folder")',
    `args = SFTConfig(output_dir="outputs/specialized", max_length=${length}, ${pythonKwargs(TRL_SFT_CONFIG)})`,
    `trainer = SFTTrainer(model="${CARD_BASE_MODEL}", args=args, train_dataset=ds["train"]${validation ? ', eval_dataset=ds["validation"]' : ''})`,
    'trainer.train()',
    '```',
    '',
    '`assistant_only_loss` needs `{% generation %}` markers in the chat template. The Qwen2.5 template has none, so TRL swaps in its own training copy of it, which has them (TRL does this for the Qwen, Llama 3, GLM-4-MoE, gpt-oss and a few other families; for another base model check that `SFTTrainer` does not fail with "no assistant tokens").',
    'The per-message `train` flags (true on the assistant turns) say the same for stacks that read them.',
    'Templates checked against this format: Qwen2.5, Qwen3-Coder, GLM-4.7-Flash, Hermes 2 Pro and gpt-oss render every row with its calls in their own syntax; Llama 3.1\'s template refuses a turn with two calls, and gpt-oss\'s prints only the first call of such a turn.',
  ];
}

function axolotl(format: ExportFormat, length: number, validation: boolean): string[] {
  const structured = format === 'hf';
  const field = format === 'sharegpt-text' ? 'conversations' : 'messages';
  const dataset = (file: string, split?: string) => [
    '  - path: path/to/this/folder',
    '    ds_type: json',
    ...(split ? [`    split: ${split}`] : []),
    '    data_files:',
    `      - ${file}`,
    '    type: chat_template',
    `    field_messages: ${field}`,
    ...(structured ? ['    field_tools: tools'] : []),
    ...(format === 'sharegpt-text' ? ['    message_property_mappings:', '      role: from', '      content: value'] : []),
    '    message_field_training: train',
    '    train_on_eos: turn',
  ];
  return [
    `axolotl (not run by this project's tests: it does not install here), computing the loss only on the turns whose \`train\` flag is true${structured ? ', with the base model\'s own template rendering the tools and calls' : ''}:`,
    '',
    '```yaml',
    `base_model: ${CARD_BASE_MODEL}`,
    `sequence_len: ${length}`,
    `chat_template: ${structured ? 'tokenizer_default' : 'chatml'}`,
    'datasets:',
    ...dataset('data/train.jsonl'),
    ...(validation ? ['test_datasets:', ...dataset('data/validation.jsonl', 'train')] : []),
    'sample_packing: false',
    'micro_batch_size: 1',
    'gradient_accumulation_steps: 8',
    'num_epochs: 3',
    'learning_rate: 1e-5',
    'bf16: auto',
    'output_dir: ./outputs/specialized',
    '```',
    '',
    structured
      ? 'Each row renders with `tokenizer.apply_chat_template(row["messages"], tools=row["tools"])`: tool-call `arguments` are objects, as Hugging Face chat templates expect.'
      : '`chat_template: chatml` renders each turn\'s content as it is: the tools are already listed in the system prompt, in the form the student is trained to call them, so leave the `tools` column out of any template that would list them again.',
  ];
}

function llamaFactory(length: number, validation: boolean): string[] {
  const config: Record<string, unknown> = { model_name_or_path: CARD_BASE_MODEL, ...LLAMA_FACTORY_CONFIG, dataset_dir: 'path/to/this/folder', cutoff_len: length, output_dir: 'outputs/specialized' };
  if (validation) config.eval_dataset = 'specialized_validation';
  return [
    'LLaMA-Factory: `dataset_info.json` beside the data registers it as `specialized` (sharegpt with `function_call` and `observation` turns, `system` and `tools` columns). Run `llamafactory-cli train config.yaml` with:',
    '',
    '```yaml',
    ...Object.entries(config).map(([k, v]) => `${k}: ${String(v)}`),
    '```',
    '',
    'A `function_call` turn holds the call as JSON (a list for several calls); the assistant\'s words before it are kept as a thought in `<think>` tags, which LLaMA-Factory\'s templates print before the call. The answer to the final submit is left out: LLaMA-Factory wants the model\'s turn last.',
  ];
}

function openai(): string[] {
  const keep = OPENAI_MESSAGE_KEYS.map((k) => JSON.stringify(k)).join(', ');
  return [
    'The OpenAI fine-tuning API takes `messages` and `tools` and nothing else on a line; keep only those (and only the message keys it knows) before uploading:',
    '',
    '```bash',
    `python3 -c 'import json,sys; [print(json.dumps({"messages": [{k: v for k, v in m.items() if k in (${keep})} for m in r["messages"]], "tools": r["tools"]})) for r in map(json.loads, sys.stdin)]' < data/train.jsonl > openai-train.jsonl`,
    '```',
    '',
    `Tool-call \`arguments\` are JSON strings there, as the API sends them; every line keeps ${OPENAI_LINE_KEYS.map((k) => `\`${k}\``).join(' and ')}. Every assistant turn is trained (the API's default weight).`,
  ];
}
