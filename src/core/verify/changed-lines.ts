import { parseUnifiedDiff, type PatchFile } from './parse';

export interface ChangedLine {
  /** The file's new path, or its old path when it was deleted; '' for a hunk-only patch. */
  file: string;
  sign: '+' | '-';
  /** The line's text after the sign, exactly as in the patch (line-end `\r` removed, see normalizeLineEnds). */
  text: string;
  /** Position of the hunk within the whole patch (0-based, counted across files). */
  hunk: number;
  /** Position in this patch's changed-line list (0-based). */
  index: number;
  /** Line number in the old file, for removed lines. */
  oldLine?: number;
  /** Line number in the new file, for added lines. */
  newLine?: number;
}

/** Same test as String.prototype.trim: a line of spaces, tabs, form feeds, NBSPs... carries no change. */
export function isBlankText(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * The changed lines of a patch in patch order: hunk body lines starting with `+` or `-`, sign kept,
 * blank ones dropped. Hunk boundaries come from the hunk headers' line counts, so a removed line
 * `-- x` (written `--- x`) or an added `++i;` (written `+++i;`) is a changed line, never a header.
 */
export function changedLines(patch: string | PatchFile[]): ChangedLine[] {
  const files = typeof patch === 'string' ? parseUnifiedDiff(patch) : patch;
  const out: ChangedLine[] = [];
  let hunkNo = 0;
  for (const file of files) {
    const name = file.newPath ?? file.oldPath ?? '';
    for (const hunk of file.hunks) {
      let oldLine = hunk.oldStart;
      let newLine = hunk.newStart;
      for (const line of hunk.lines) {
        const sign = line[0];
        if (sign === '+') {
          const text = line.slice(1);
          if (!isBlankText(text)) out.push({ file: name, sign, text, hunk: hunkNo, index: out.length, newLine });
          newLine++;
        } else if (sign === '-') {
          const text = line.slice(1);
          if (!isBlankText(text)) out.push({ file: name, sign, text, hunk: hunkNo, index: out.length, oldLine });
          oldLine++;
        } else if (sign !== '\\') {
          // context (parsePatch also files an empty line inside a hunk as context)
          oldLine++;
          newLine++;
        }
      }
      hunkNo++;
    }
  }
  return out;
}
