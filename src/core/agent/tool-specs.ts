import type { ToolSpec } from '../teacher/types';

/**
 * The SWE-agent tool names and parameters, so trajectories teach a student the same tools as
 * the reference data. Descriptions are ours.
 */
export const BASH_TOOL: ToolSpec = {
  type: 'function',
  function: {
    name: 'bash',
    description:
      'Run a shell command in the repository at /testbed and get its combined output. Commands have no network access and a time limit; long outputs are clipped. Do not start interactive programs or servers that never exit.',
    parameters: {
      type: 'object',
      properties: { command: { type: 'string', description: 'The command line to run, e.g. "grep -rn parse_date src/".' } },
      required: ['command'],
    },
  },
};

export const EDITOR_TOOL: ToolSpec = {
  type: 'function',
  function: {
    name: 'str_replace_editor',
    description: [
      'View, create and edit files in the repository at /testbed. Paths must be absolute (starting with /testbed).',
      '* view: a file is shown with line numbers (like `cat -n`), optionally only `view_range` [first, last] (last may be -1 for the end); a folder lists its files and folders two levels deep, hidden ones left out.',
      '* create: writes `file_text` to a new file; refuses a path that already exists.',
      '* str_replace: replaces `old_str` with `new_str` (empty when omitted); `old_str` must match exactly one place in the file, whitespace included.',
      '* insert: puts `new_str` after line `insert_line` (0 inserts at the top).',
      '* undo_edit: reverts the last edit made to the file at `path`.',
    ].join('\n'),
    parameters: {
      type: 'object',
      properties: {
        command: { type: 'string', enum: ['view', 'create', 'str_replace', 'insert', 'undo_edit'], description: 'What to do.' },
        path: { type: 'string', description: 'Absolute path of a file or folder, e.g. /testbed/src/app.py.' },
        file_text: { type: 'string', description: 'For create: the whole content of the new file.' },
        old_str: { type: 'string', description: 'For str_replace: the exact text to replace; it must occur exactly once.' },
        new_str: { type: 'string', description: 'For str_replace: the replacement text. For insert: the text to insert.' },
        insert_line: { type: 'integer', description: 'For insert: the line after which new_str is inserted (0 for the top).' },
        view_range: {
          type: 'array',
          items: { type: 'integer' },
          description: 'For view of a file: [first, last] line numbers, 1-based; last = -1 means to the end.',
        },
      },
      required: ['command', 'path'],
    },
  },
};

export const SUBMIT_TOOL: ToolSpec = {
  type: 'function',
  function: {
    name: 'submit',
    description: 'Call this when the change is complete. Your current edits to /testbed become the result.',
    parameters: { type: 'object', properties: {}, required: [] },
  },
};

export function agentTools(withBash: boolean): ToolSpec[] {
  return withBash ? [BASH_TOOL, EDITOR_TOOL, SUBMIT_TOOL] : [EDITOR_TOOL, SUBMIT_TOOL];
}
