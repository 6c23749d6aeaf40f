import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the editor may read and write: maps the agent's paths into the copy, or throws a message for the agent. */
export interface PathJail {
  toHostPath(agentPath: string): string;
  toAgentPath(hostPath: string): string;
}

export interface EditorArgs {
  command?: unknown;
  path?: unknown;
  file_text?: unknown;
  old_str?: unknown;
  new_str?: unknown;
  insert_line?: unknown;
  view_range?: unknown;
}

/** A problem the agent caused and can fix; its message goes back to the agent as the observation. */
export class ToolInputError extends Error {}

const MAX_LISTING = 400;

/**
 * The str_replace_editor tool. It keeps each file's previous contents so undo_edit can step back
 * through this rollout's own edits.
 */
export class Editor {
  private readonly history = new Map<string, (string | null)[]>();

  constructor(private readonly jail: PathJail) {}

  execute(args: EditorArgs): string {
    const command = args.command;
    if (typeof command !== 'string') throw new ToolInputError('Missing "command": use one of view, create, str_replace, insert, undo_edit.');
    if (typeof args.path !== 'string' || !args.path) throw new ToolInputError('Missing "path": give an absolute path such as /testbed/src/main.py.');
    const agentPath = args.path;
    if (!agentPath.startsWith('/')) {
      throw new ToolInputError(`The path ${agentPath} is not absolute; use /testbed/${agentPath.replace(/^\.\//, '')}.`);
    }
    const host = this.jail.toHostPath(agentPath);
    switch (command) {
      case 'view':
        return this.view(host, agentPath, args.view_range);
      case 'create':
        return this.create(host, agentPath, args.file_text);
      case 'str_replace':
        return this.replace(host, agentPath, args.old_str, args.new_str);
      case 'insert':
        return this.insert(host, agentPath, args.insert_line, args.new_str);
      case 'undo_edit':
        return this.undo(host, agentPath);
      default:
        throw new ToolInputError(`Unknown command "${String(command)}": use one of view, create, str_replace, insert, undo_edit.`);
    }
  }

  private view(host: string, agentPath: string, range: unknown): string {
    if (!existsSync(host)) throw new ToolInputError(`${agentPath} does not exist.`);
    if (statSync(host).isDirectory()) {
      if (range !== undefined && range !== null) throw new ToolInputError('view_range only applies to files, not folders.');
      return this.listFolder(host, agentPath);
    }
    const text = this.readText(host, agentPath);
    const lines = text.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    let first = 1;
    let last = lines.length;
    if (range !== undefined && range !== null) {
      if (!Array.isArray(range) || range.length !== 2 || !range.every((n) => Number.isInteger(n))) {
        throw new ToolInputError('view_range must be two whole numbers [first, last], e.g. [10, 40] or [10, -1].');
      }
      [first, last] = range as [number, number];
      if (last === -1) last = lines.length;
      if (first < 1 || first > Math.max(lines.length, 1)) throw new ToolInputError(`view_range starts at ${first}, but ${agentPath} has ${lines.length} lines.`);
      if (last < first || last > lines.length) throw new ToolInputError(`view_range [${first}, ${last}] is not within the file's ${lines.length} lines.`);
    }
    const numbered = numberLines(lines.slice(first - 1, last), first);
    return `Contents of ${agentPath}${range ? ` (lines ${first}-${last})` : ''}:\n${numbered}`;
  }

  private listFolder(host: string, agentPath: string): string {
    const out: string[] = [];
    const walk = (dir: string, shown: string, depth: number) => {
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
      } catch {
        return;
      }
      for (const name of names) {
        if (out.length >= MAX_LISTING) return;
        const full = join(dir, name);
        let isDir = false;
        try {
          isDir = statSync(full).isDirectory();
        } catch {
          continue;
        }
        out.push(`${shown}/${name}${isDir ? '/' : ''}`);
        if (isDir && depth < 2) walk(full, `${shown}/${name}`, depth + 1);
      }
    };
    walk(host, agentPath.replace(/\/+$/, ''), 1);
    const more = out.length >= MAX_LISTING ? `\n[listing stopped at ${MAX_LISTING} entries; view a subfolder for more]` : '';
    return `Files and folders in ${agentPath}, two levels deep (hidden ones left out):\n${out.join('\n')}${more}`;
  }

  private create(host: string, agentPath: string, fileText: unknown): string {
    if (typeof fileText !== 'string') throw new ToolInputError('create needs "file_text", the content of the new file.');
    if (existsSync(host)) throw new ToolInputError(`${agentPath} already exists; use str_replace or insert to change it.`);
    mkdirSync(dirname(host), { recursive: true });
    this.remember(host, null);
    writeFileSync(host, fileText);
    return `Created ${agentPath} (${fileText.split('\n').length} lines).`;
  }

  private replace(host: string, agentPath: string, oldStr: unknown, newStr: unknown): string {
    if (typeof oldStr !== 'string' || oldStr === '') throw new ToolInputError('str_replace needs "old_str", the exact text to replace.');
    if (newStr !== undefined && newStr !== null && typeof newStr !== 'string') throw new ToolInputError('"new_str" must be text.');
    const replacement = (newStr as string | undefined) ?? '';
    const text = this.readFile(host, agentPath);
    const first = text.indexOf(oldStr);
    if (first < 0) throw new ToolInputError(`old_str was not found in ${agentPath}; it must match the file exactly, whitespace and indentation included. View the file to copy the text.`);
    const second = text.indexOf(oldStr, first + 1);
    if (second >= 0) {
      const lines = [first, second].map((i) => text.slice(0, i).split('\n').length);
      throw new ToolInputError(`old_str occurs more than once in ${agentPath} (lines ${lines.join(', ')}, ...); include more surrounding lines so it matches exactly one place.`);
    }
    this.remember(host, text);
    const updated = text.slice(0, first) + replacement + text.slice(first + oldStr.length);
    writeFileSync(host, updated);
    return `Edited ${agentPath}.\n${this.snippet(updated, first, replacement)}`;
  }

  private insert(host: string, agentPath: string, insertLine: unknown, newStr: unknown): string {
    if (typeof newStr !== 'string') throw new ToolInputError('insert needs "new_str", the text to insert.');
    if (typeof insertLine !== 'number' || !Number.isInteger(insertLine)) throw new ToolInputError('insert needs "insert_line", a whole number (0 inserts at the top).');
    const text = this.readFile(host, agentPath);
    const lines = text.split('\n');
    const trailingNewline = text.endsWith('\n');
    if (trailingNewline) lines.pop();
    if (insertLine < 0 || insertLine > lines.length) throw new ToolInputError(`insert_line ${insertLine} is outside ${agentPath}, which has ${lines.length} lines (use 0 to ${lines.length}).`);
    this.remember(host, text);
    const inserted = newStr.endsWith('\n') ? newStr.slice(0, -1).split('\n') : newStr.split('\n');
    lines.splice(insertLine, 0, ...inserted);
    const updated = lines.join('\n') + (trailingNewline || lines.length ? '\n' : '');
    writeFileSync(host, updated);
    const from = Math.max(1, insertLine - 3);
    const shown = lines.slice(from - 1, Math.min(lines.length, insertLine + inserted.length + 4));
    return `Inserted ${inserted.length} line(s) into ${agentPath} after line ${insertLine}.\n${numberLines(shown, from)}`;
  }

  private undo(host: string, agentPath: string): string {
    const stack = this.history.get(host);
    if (!stack?.length) throw new ToolInputError(`There is no edit of ${agentPath} to undo.`);
    const previous = stack.pop()!;
    if (previous === null) {
      rmSync(host, { force: true });
      return `Undid the creation of ${agentPath}; the file is gone.`;
    }
    writeFileSync(host, previous);
    return `Reverted the last edit of ${agentPath}.`;
  }

  private remember(host: string, previous: string | null): void {
    const stack = this.history.get(host) ?? [];
    stack.push(previous);
    this.history.set(host, stack);
  }

  private readFile(host: string, agentPath: string): string {
    if (!existsSync(host)) throw new ToolInputError(`${agentPath} does not exist; use create for a new file.`);
    if (statSync(host).isDirectory()) throw new ToolInputError(`${agentPath} is a folder, not a file.`);
    return this.readText(host, agentPath);
  }

  private readText(host: string, agentPath: string): string {
    const buf = readFileSync(host);
    if (buf.subarray(0, 8192).includes(0)) throw new ToolInputError(`${agentPath} is a binary file and cannot be shown or edited as text.`);
    return buf.toString('utf8');
  }

  /** A few numbered lines around an edit, so the agent can check it without another view. */
  private snippet(text: string, at: number, inserted: string): string {
    const startLine = text.slice(0, at).split('\n').length;
    const endLine = startLine + inserted.split('\n').length - 1;
    const lines = text.split('\n');
    const from = Math.max(1, startLine - 3);
    const to = Math.min(lines.length, endLine + 3);
    return numberLines(lines.slice(from - 1, to), from);
  }
}

export function numberLines(lines: string[], first: number): string {
  return lines.map((line, i) => `${String(first + i).padStart(6)}\t${line}`).join('\n');
}
