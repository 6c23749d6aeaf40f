import type { ExportReport } from './report';

/**
 * The dataset card (README.md): YAML front matter that the Hugging Face Hub and `datasets` read
 * (configs pointing at the files, license, task categories, tags), then the facts of the data,
 * how to load it and a training configuration that uses the per-message `train` flags.
 */
export function datasetCard(report: ExportReport, meta: { name?: string; license?: string; createdAt: string; toolVersion: string }): string {
  const o = report.options;
  const repos = unique(report.runs.map((r) => r.repository));
  const prettyName = meta.name ?? `${repos.join(', ') || 'Repository'} agent trajectories (SVG)`;
  const splits = [{ split: 'train', path: 'data/train.jsonl' }];
  if (report.written.validation > 0) splits.push({ split: 'validation', path: 'data/validation.jsonl' });
  const q = (s: string) => JSON.stringify(s);
  const front = [
    '---',
    `pretty_name: ${q(prettyName)}`,
    `license: ${q(meta.license ?? 'other')}`,
    'task_categories:',
    '- text-generation',
    'language:',
    '- en',
    'tags:',
    ...['code', 'agent', 'tool-use', 'swe-agent', 'trajectories', 'sft', 'synthetic', 'sera', 'soft-verified-generation'].map((t) => `- ${t}`),
    'size_categories:',
    `- ${sizeCategory(report.written.total)}`,
    'configs:',
    '- config_name: default',
    '  data_files:',
    ...splits.flatMap((s) => [`  - split: ${s.split}`, `    path: ${s.path}`]),
    '---',
  ];

  const field = o.format === 'sharegpt' ? 'conversations' : 'messages';
  const lines = [
    ...front,
    '',
    `# ${prettyName}`,
    '',
    `Agent trajectories of a teacher model working in ${repos.length === 1 ? `the repository \`${repos[0]}\`` : `the repositories ${repos.map((r) => `\`${r}\``).join(', ')}`}, made by Soft-Verified Generation (SVG, from the SERA paper) with Repo Specializer ${meta.toolVersion} and exported ${meta.createdAt.slice(0, 10)} in the \`${o.format}\` format.`,
    'Each line is one trajectory: T1 is the teacher solving a deliberately vague task about a start function, T2 the teacher solving the synthetic pull request written from T1; a sample is kept when T2 reproduced enough of T1\'s changed lines (line-level recall).',
    'The repository appears as `/testbed`. Secrets found by pattern were replaced by typed placeholders such as `<REDACTED:aws-access-key>`.',
    '',
    '## Facts',
    '',
    '| | |',
    '| --- | --- |',
    `| trajectories | ${report.written.total} (train ${report.written.train}${report.written.validation ? `, validation ${report.written.validation}` : ''}) |`,
    `| samples | ${report.samples} (T1 ${report.trajectories.t1}, T2 ${report.trajectories.t2}; accepted by a person ${report.decisions.accepted}, kept by threshold ${report.decisions.undecided}) |`,
    `| tokens (cl100k_base) | ${report.tokens.total} in all; per trajectory mean ${report.tokens.mean}, median ${report.tokens.median}, p95 ${report.tokens.p95}, max ${report.tokens.max} |`,
    `| languages | ${Object.entries(report.languages).sort((a, b) => b[1] - a[1]).map(([l, n]) => `${l} ${n}`).join(', ') || '-'} |`,
    `| teacher model | ${unique(report.runs.map((r) => r.teacherModel)).map((m) => `\`${m}\``).join(', ')} |`,
    `| recall threshold | ${o.threshold ?? unique(report.runs.map((r) => String(r.threshold))).join(', ')}${o.onlyAccepted ? ' (only accepted samples)' : ''} |`,
    `| base commit | ${unique(report.runs.map((r) => `\`${r.baseCommit.slice(0, 12)}\``)).join(', ')} |`,
    `| runs | ${report.runs.map((r) => `\`${r.runId}\``).join(', ')} |`,
    `| format | \`${o.format}\`, reasoning ${o.think === 'keep' ? 'kept in `reasoning_content`' : o.think === 'wrap' ? 'wrapped in `<think>` tags' : 'left out'}, trajectories ${o.trajectories} |`,
    '',
    '### Recall of the exported samples',
    '',
    '| recall | samples |',
    '| --- | --- |',
    ...report.recallHistogram.map((n, i) => `| ${(i / 10).toFixed(1)}-${i === 9 ? '1.0' : ((i + 1) / 10).toFixed(1)} | ${n} |`),
    ...(report.unscored ? [`| no score (accepted by hand) | ${report.unscored} |`] : []),
    '',
    '### What the export left out',
    '',
    `Filters: at most ${o.maxPatchLines || 'any number of'} changed lines per patch; ${o.maxToolOutputChars ? `tool outputs of at most ${o.maxToolOutputChars} characters on average` : 'no limit on tool output length'}; ${o.maxTokens ? `at most ${o.maxTokens} tokens per trajectory (${o.truncate ? 'longest tool outputs clipped, with a marker, to fit' : 'longer ones dropped, never cut'})` : 'no token budget'}; ${o.dedupe ? 'repeated patches dropped' : 'repeated patches kept'}; ${o.includeUnsubmitted ? 'trajectories that ended without submit kept' : 'only trajectories that ended with submit'}.`,
    '',
    '| reason | trajectories |',
    '| --- | --- |',
    ...Object.entries(report.removedBy).map(([reason, n]) => `| ${reason} | ${n} |`),
    ...(report.truncated ? [`| (clipped to fit, still exported) | ${report.truncated} |`] : []),
    '',
    `Redactions: ${report.redactions.total}${report.redactions.total ? ` (${Object.entries(report.redactions.byType).map(([t, n]) => `${t} ${n}`).join(', ')}); \`redactions.jsonl\` lists where, never what` : ''}.`,
    '',
    '## Fields',
    '',
    ...fieldDocs(o.format),
    '',
    '## Load it',
    '',
    '```python',
    'from datasets import load_dataset',
    '',
    'ds = load_dataset("path/to/this/folder")  # or the Hub name once uploaded',
    `print(ds["train"][0]["${field}"][1]${o.format === 'sharegpt' ? '["value"]' : '["content"]'}[:500])`,
    '```',
    '',
    '## Train on it',
    '',
    'An [axolotl](https://github.com/axolotl-ai-cloud/axolotl) configuration that computes the loss only on the turns whose `train` flag is true (the assistant turns):',
    '',
    '```yaml',
    ...axolotlConfig(o.format, o.maxTokens, report.written.validation > 0),
    '```',
    '',
    ...trainingNotes(o.format, o.think),
  ];
  return lines.join('\n') + '\n';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function sizeCategory(n: number): string {
  if (n < 1000) return 'n<1K';
  if (n < 10_000) return '1K<n<10K';
  if (n < 100_000) return '10K<n<100K';
  if (n < 1_000_000) return '100K<n<1M';
  return '1M<n<10M';
}

function fieldDocs(format: string): string[] {
  const common = [
    '- `id`: the line\'s id, `<sample id>-t1` or `<sample id>-t2`; `sample_id`, `trajectory` (`t1` or `t2`), `run_id`.',
    '- `tools`: the OpenAI tool definitions (bash, str_replace_editor, submit) the trajectory used.',
    '- `repository`, `function`, `file`, `language`: the start function; `recall`: the sample\'s line-level recall (null when unscored); `decision`: `accepted` or `undecided`.',
  ];
  if (format === 'openai') {
    return [
      '- `messages`: OpenAI chat messages. Assistant turns carry `tool_calls` (`arguments` is a JSON string, as in the OpenAI API); each result is a `tool` message with its `tool_call_id`. Every message has `train` (true for assistant turns).',
      ...common,
    ];
  }
  const style =
    format === 'sera-xml'
      ? '`<tool_call>` blocks holding `<function=NAME>` with one `<parameter=KEY>` block per argument'
      : '`<tool_call>` blocks holding `{"name": ..., "arguments": {...}}` JSON';
  const shape = format === 'sharegpt' ? '`conversations`: turns of `from` (`system`, `human`, `gpt`) and `value`' : '`messages`: turns of `role` and `content`';
  return [
    `- ${shape}, plus \`train\` (true for assistant turns). The system prompt lists the tools and the call format; assistant turns are their text followed by ${style}; tool results come back as user turns of \`<tool_response>\` blocks.`,
    ...common,
  ];
}

function axolotlConfig(format: string, maxTokens: number, validation: boolean): string[] {
  const lines = ['base_model: Qwen/Qwen3-8B', `sequence_len: ${maxTokens || 32768}`];
  if (format !== 'openai') lines.push('chat_template: chatml');
  lines.push(
    'datasets:',
    '  - path: path/to/this/folder',
    '    ds_type: json',
    '    data_files:',
    '      - data/train.jsonl',
    '    type: chat_template',
    `    field_messages: ${format === 'sharegpt' ? 'conversations' : 'messages'}`,
  );
  if (format === 'sharegpt') lines.push('    message_property_mappings:', '      role: from', '      content: value');
  lines.push('    message_field_training: train', '    train_on_eos: turn');
  if (validation) lines.push('test_datasets:', '  - path: path/to/this/folder', '    ds_type: json', '    split: train', '    data_files:', '      - data/validation.jsonl', '    type: chat_template', `    field_messages: ${format === 'sharegpt' ? 'conversations' : 'messages'}`, '    message_field_training: train');
  lines.push('sample_packing: false', 'micro_batch_size: 1', 'gradient_accumulation_steps: 8', 'num_epochs: 3', 'learning_rate: 1e-5', 'bf16: auto', 'output_dir: ./outputs/specialized');
  return lines;
}

function trainingNotes(format: string, think: string): string[] {
  const notes: string[] = [];
  if (format === 'openai') {
    notes.push('The model\'s own chat template renders `tools` and `tool_calls`, so use a base model whose template supports tools (Qwen2.5/Qwen3, Llama 3.1+, ...). With TRL, pass the dataset as it is to `SFTTrainer` with `assistant_only_loss=True`.');
  } else {
    notes.push('`chat_template: chatml` renders each turn\'s content as it is and ignores the `tools` column: the tools are already listed in the system prompt, in the form the student is trained to call them. With TRL, drop the `tools` column first (`ds.remove_columns("tools")`) so the template does not list them twice.');
  }
  if (think === 'keep') notes.push('', 'Reasoning is in `reasoning_content`; templates that render it (Qwen3) train on it, `chatml` does not: export with `--think wrap` to put it in the content inside `<think>` tags.');
  return notes;
}
