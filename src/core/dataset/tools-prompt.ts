import type { ToolSpec } from '../teacher/types';
import { pythonJson, type CallStyle } from './tool-text';

/**
 * The part of the system prompt that lists the tools in the text forms: the student sees the
 * tool definitions and the exact call format it is trained to write.
 */
export function toolsSection(tools: ToolSpec[], style: CallStyle): string {
  const lines = [
    '# Tools',
    '',
    'You have the functions below. Their definitions, one JSON object per line, are between <tools> and </tools>:',
    '<tools>',
    ...tools.map((t) => pythonJson(t)),
    '</tools>',
    '',
  ];
  if (style === 'hermes') {
    lines.push(
      'To call a function, end your reply with one block per call, each holding a JSON object with the function name and its arguments:',
      '<tool_call>',
      '{"name": "<function name>", "arguments": {"<argument name>": <argument value>}}',
      '</tool_call>',
    );
  } else {
    lines.push(
      'To call a function, end your reply with one block per call in this form, with one parameter block per argument (text as it is, numbers, lists and objects as JSON):',
      '<tool_call>',
      '<function=<function name>>',
      '<parameter=<argument name>>',
      '<argument value>',
      '</parameter>',
      '</function>',
      '</tool_call>',
    );
  }
  lines.push('The results come back in the next user turn, one <tool_response></tool_response> block per call, in the order of the calls.');
  return lines.join('\n');
}

let last: { prompt: string; tools: ToolSpec[]; style: CallStyle; text: string } | null = null;

/**
 * The system prompt followed by the tools section. Every trajectory of an export has the same
 * prompt and tools, so the last result is kept: the same string comes back, and counting its
 * tokens is a cache hit.
 */
export function withToolsSection(systemPrompt: string, tools: ToolSpec[], style: CallStyle): string {
  if (!tools.length) return systemPrompt;
  if (last && last.prompt === systemPrompt && last.tools === tools && last.style === style) return last.text;
  const section = toolsSection(tools, style);
  const text = systemPrompt ? `${systemPrompt}\n\n${section}` : section;
  last = { prompt: systemPrompt, tools, style, text };
  return text;
}

export function toolResponseBlock(content: string): string {
  return `<tool_response>\n${content}\n</tool_response>`;
}
