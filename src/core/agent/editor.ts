import { isUtf8 } from 'node:buffer';
import { type Dirent, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
 * A file's text and how it maps back to bytes. UTF-8 when the bytes are valid UTF-8; otherwise
 * Latin-1, one character per byte, which gives every byte back exactly as it was.
 */
interface FileText {
  text: string;
  encoding: 'utf-8' | 'latin1';
}

/**
 * The str_replace_editor tool. It keeps each file's previous contents so undo_edit can step back
 * through this rollout's own edits.
 */
export class Editor {
  /** The bytes each edited file had before each edit (null: it did not exist). */
  private readonly history = new Map<string, (Buffer | null)[]>();

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
    const { text, encoding } = this.readText(host, agentPath);
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
    const note = encoding === 'latin1' ? ' (not UTF-8, so shown and edited as Latin-1, one character per byte)' : '';
    return `Contents of ${agentPath}${range ? ` (lines ${first}-${last})` : ''}${note}:\n${numbered}`;
  }

  /** Never follows a symbolic link: a link the agent made may lead anywhere on the host. */
  private listFolder(host: string, agentPath: string): string {
    const out: string[] = [];
    const walk = (dir: string, shown: string, depth: number) => {
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true })
          .filter((e) => !e.name.startsWith('.'))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch {
        return;
      }
      for (const entry of entries) {
        if (out.length >= MAX_LISTING) return;
        const isDir = entry.isDirectory();
        out.push(`${shown}/${entry.name}${isDir ? '/' : entry.isSymbolicLink() ? '@' : ''}`);
        if (isDir && depth < 2) walk(join(dir, entry.name), `${shown}/${entry.name}`, depth + 1);
      }
    };
    walk(host, agentPath.replace(/\/+$/, ''), 1);
    const more = out.length >= MAX_LISTING ? `\n[listing stopped at ${MAX_LISTING} entries; view a subfolder for more]` : '';
    return `Files and folders in ${agentPath}, two levels deep (hidden ones left out; symbolic links end in @ and are not followed):\n${out.join('\n')}${more}`;
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
    const file = this.readFile(host, agentPath);
    const { text } = file;
    const first = text.indexOf(oldStr);
    if (first < 0) throw new ToolInputError(`old_str was not found in ${agentPath}; it must match the file exactly, whitespace and indentation included. View the file to copy the text.`);
    const second = text.indexOf(oldStr, first + 1);
    if (second >= 0) {
      const lines = [first, second].map((i) => text.slice(0, i).split('\n').length);
      throw new ToolInputError(`old_str occurs more than once in ${agentPath} (lines ${lines.join(', ')}, ...); include more surrounding lines so it matches exactly one place.`);
    }
    const updated = text.slice(0, first) + replacement + text.slice(first + oldStr.length);
    this.write(host, agentPath, file, updated, replacement);
    return `Edited ${agentPath}.\n${this.snippet(updated, first, replacement)}`;
  }

  /**
   * Puts the lines after line `insertLine` by splicing them in at that line's end, so every other
   * byte stays as it was (a file without a final newline keeps lacking one).
   */
  private insert(host: string, agentPath: string, insertLine: unknown, newStr: unknown): string {
    if (typeof newStr !== 'string') throw new ToolInputError('insert needs "new_str", the text to insert.');
    if (typeof insertLine !== 'number' || !Number.isInteger(insertLine)) throw new ToolInputError('insert needs "insert_line", a whole number (0 inserts at the top).');
    const file = this.readFile(host, agentPath);
    const { text } = file;
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1 && i + 1 < text.length; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const count = text === '' ? 0 : lineStarts.length;
    if (insertLine < 0 || insertLine > count) throw new ToolInputError(`insert_line ${insertLine} is outside ${agentPath}, which has ${count} lines (use 0 to ${count}).`);
    const inserted = newStr.endsWith('\n') ? newStr.slice(0, -1).split('\n') : newStr.split('\n');
    const block = inserted.join('\n');
    let updated: string;
    if (insertLine < count) {
      const at = lineStarts[insertLine];
      updated = `${text.slice(0, at)}${block}\n${text.slice(at)}`;
    } else if (text === '' || text.endsWith('\n')) {
      updated = `${text}${block}\n`;
    } else {
      updated = `${text}\n${block}`;
    }
    this.write(host, agentPath, file, updated, newStr);
    const lines = updated.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
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

  /** Writes an edit in the file's own encoding, refusing characters it cannot store. */
  private write(host: string, agentPath: string, before: FileText & { bytes: Buffer }, updated: string, added: string): void {
    if (before.encoding === 'latin1') {
      const foreign = [...added].find((ch) => ch.codePointAt(0)! > 0xff);
      if (foreign !== undefined) {
        throw new ToolInputError(
          `${agentPath} is not UTF-8, so it is edited as Latin-1, one byte per character, and cannot store "${foreign}" (U+${foreign.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}); write it the way the file's language escapes characters, or use only Latin-1 characters. The file was not changed.`,
        );
      }
    }
    this.remember(host, before.bytes);
    writeFileSync(host, Buffer.from(updated, before.encoding === 'latin1' ? 'latin1' : 'utf8'));
  }

  private remember(host: string, previous: Buffer | null): void {
    const stack = this.history.get(host) ?? [];
    stack.push(previous);
    this.history.set(host, stack);
  }

  private readFile(host: string, agentPath: string): FileText & { bytes: Buffer } {
    if (!existsSync(host)) throw new ToolInputError(`${agentPath} does not exist; use create for a new file.`);
    if (statSync(host).isDirectory()) throw new ToolInputError(`${agentPath} is a folder, not a file.`);
    return this.readText(host, agentPath);
  }

  private readText(host: string, agentPath: string): FileText & { bytes: Buffer } {
    const bytes = readFileSync(host);
    if (bytes.subarray(0, 8192).includes(0)) throw new ToolInputError(`${agentPath} is a binary file and cannot be shown or edited as text.`);
    // Decoding invalid UTF-8 as UTF-8 turns each bad byte into U+FFFD, and writing that back
    // changes bytes the agent never touched; Latin-1 maps every byte to a character and back.
    return isUtf8(bytes) ? { text: bytes.toString('utf8'), encoding: 'utf-8', bytes } : { text: bytes.toString('latin1'), encoding: 'latin1', bytes };
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
