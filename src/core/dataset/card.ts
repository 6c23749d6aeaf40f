import { trainSection } from './card-train';
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
    ...(o.format === 'hf' ? jsonFeatures() : []),
    '---',
  ];

  const turns = o.format === 'sharegpt' || o.format === 'sharegpt-text' ? 'conversations' : 'messages';
  const text = turns === 'conversations' ? 'value' : 'content';
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
    ...tooLargeNote(report),
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
    `print(ds["train"][0]["${turns}"][${o.format === 'sharegpt' ? 0 : 1}]["${text}"][:500])`,
    '```',
    '',
    ...trainSection(o.format, o.maxTokens, report.written.validation > 0, o.think),
  ];
  return lines.join('\n') + '\n';
}

/**
 * Samples that generation stopped after rollout 1 (status too-large) are not failures: P1 was
 * over the run's --max-p1-lines, so no PR or T2 was paid for. The table counts them in
 * trajectories under `p1-too-large`; this says how many samples that is and how to keep them.
 */
function tooLargeNote(report: ExportReport): string[] {
  const trajectories = report.removedBy['p1-too-large'];
  if (!trajectories) return [];
  // a sample left out before its trajectories are looked at counts once per trajectory the export wanted
  const samples = trajectories / (report.options.trajectories === 'both' ? 2 : 1);
  const limits = unique(report.runs.map((r) => r.maxP1Lines).filter((n) => n > 0).map(String));
  const limit = limits.length ? `more than ${limits.join(' or ')} lines` : 'more lines than the run allowed';
  return [
    `\`p1-too-large\`: ${samples} sample${samples === 1 ? ' was' : 's were'} stopped after rollout 1 as too large: T1's patch changed ${limit}, the limit set by \`specialize generate --max-p1-lines\` (setting \`repoSpecializer.generation.maxP1Lines\`, 40 by default, 0 for none). Such a sample has no synthetic PR, no T2 and no recall; export's default filter (\`--max-patch-lines 40\`) leaves out patches of more than 40 changed lines in any case. Generate with a higher \`--max-p1-lines\` to keep them.`,
    '',
  ];
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
    `- \`tools\`: the OpenAI tool definitions (bash, str_replace_editor, submit) the trajectory used${format === 'sharegpt' ? ', as one JSON string (LLaMA-Factory parses it)' : ''}.`,
    '- `repository`, `function`, `file`, `language`: the start function; `recall`: the sample\'s line-level recall (null when unscored); `decision`: `accepted` or `undecided`.',
  ];
  if (format === 'openai' || format === 'hf') {
    const args = format === 'hf' ? '`arguments` is an object, as Hugging Face chat templates expect' : '`arguments` is a JSON string, as in the OpenAI API';
    const tool = format === 'hf' ? 'its `tool_call_id` and the function\'s `name`' : 'its `tool_call_id`';
    return [`- \`messages\`: chat messages. Assistant turns carry \`tool_calls\` (${args}); each result is a \`tool\` message with ${tool}. Every message has \`train\` (true for assistant turns).`, ...common];
  }
  if (format === 'sharegpt') {
    return [
      '- `conversations`: turns of `from` and `value` that alternate `human` or `observation` (tool results), then `gpt` or `function_call` (the call as JSON, after the assistant\'s words as a `<think>` thought), ending on the model\'s turn.',
      '- `system`: the system prompt.',
      ...common,
    ];
  }
  const style =
    format === 'sera-xml'
      ? '`<tool_call>` blocks holding `<function=NAME>` with one `<parameter=KEY>` block per argument'
      : '`<tool_call>` blocks holding `{"name": ..., "arguments": {...}}` JSON';
  const shape = format === 'sharegpt-text' ? '`conversations`: turns of `from` (`system`, `human`, `gpt`) and `value`' : '`messages`: turns of `role` and `content`';
  return [
    `- ${shape}, plus \`train\` (true for assistant turns). The system prompt lists the tools and the call format; assistant turns are their text followed by ${style}; tool results come back as user turns of \`<tool_response>\` blocks.`,
    ...common,
  ];
}

/**
 * The hf format's columns, declared so that `datasets` keeps each message and tool exactly as
 * written. Left to infer, it merges all messages (or all tool schemas) into one struct, and every
 * call's `arguments` gains the other tools' argument names as nulls, which templates then print.
 * `json` is a feature type of recent `datasets` releases (this project tests 5.x).
 */
function jsonFeatures(): string[] {
  const strings = ['id', 'sample_id', 'trajectory', 'run_id', 'repository', 'function', 'file', 'language', 'decision'];
  return [
    '  features:',
    ...strings.slice(0, 3).flatMap((name) => [`  - name: ${name}`, '    dtype: string']),
    '  - name: messages',
    '    list: json',
    '  - name: tools',
    '    list: json',
    ...strings.slice(3).flatMap((name) => [`  - name: ${name}`, '    dtype: string']),
    '  - name: recall',
    '    dtype: float64',
  ];
}
