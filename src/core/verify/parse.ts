import { parsePatch, type StructuredPatch } from 'diff';

export interface PatchHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Body lines as they appear in the patch: a sign or space, then the text; `\ No newline...` markers included. */
  lines: string[];
}

export interface PatchFile {
  /** Path before the change without the `a/` prefix; null for an added file. */
  oldPath: string | null;
  /** Path after the change without the `b/` prefix; null for a deleted file. */
  newPath: string | null;
  /** `binary` wins over the others; an added or deleted binary file still shows it by a null path. */
  status: 'added' | 'deleted' | 'modified' | 'renamed' | 'binary';
  hunks: PatchHunk[];
  /** Set when git reported the file as a copy (`copy from`); status is then `added`. */
  copiedFrom?: string;
  oldMode?: string;
  newMode?: string;
}

export class PatchParseError extends Error {}

const DEV_NULL = '/dev/null';

/**
 * Trailing carriage returns are line-ending bytes, not content: either the patch file itself was
 * saved with CRLF (transport), or the patched source file uses CRLF, or both (`\r\r\n`). Both
 * patches of one sample come from the same base, so dropping them loses nothing the metric cares
 * about, while keeping them would make a patch stop matching a CRLF-saved copy of itself. So every
 * run of `\r` right before a line break (or at the very end) is removed before anything else looks
 * at the text; a `\r` inside a line stays.
 */
export function normalizeLineEnds(patch: string): string {
  return patch.includes('\r') ? patch.replace(/\r+(?=\n|$)/g, '') : patch;
}

/**
 * Parses a unified diff (plain or git's dialect, several files) with the `diff` package.
 * Throws PatchParseError when a hunk is malformed (line counts that do not add up, stray lines).
 */
export function parseUnifiedDiff(patch: string): PatchFile[] {
  const text = normalizeLineEnds(patch);
  let parsed: StructuredPatch[];
  try {
    parsed = parsePatch(text);
  } catch (error) {
    throw new PatchParseError(`Not a valid unified diff: ${(error as Error).message}.`);
  }
  const binaryFiles = text.includes('GIT binary patch') ? gitBinaryPatchFiles(text) : new Set<number>();
  const files: PatchFile[] = [];
  parsed.forEach((entry, position) => {
    // parsePatch yields an empty entry for text that holds no diff at all (or only prose).
    if (entry.oldFileName === undefined && entry.newFileName === undefined && !entry.hunks.length && !entry.isGit) return;
    files.push(toPatchFile(entry, binaryFiles.has(position)));
  });
  return files;
}

function toPatchFile(entry: StructuredPatch, gitBinary: boolean): PatchFile {
  let oldName = entry.oldFileName ?? null;
  let newName = entry.newFileName ?? null;
  if (oldName === DEV_NULL || entry.isCreate) oldName = null;
  if (newName === DEV_NULL || entry.isDelete) newName = null;
  // Strip git's a/ and b/ prefixes only when both sides carry them, so `--no-prefix` and plain
  // `diff -u` paths that happen to start with a/ are left alone.
  const prefixed = (oldName === null || oldName.startsWith('a/')) && (newName === null || newName.startsWith('b/')) && (oldName ?? newName) !== null;
  if (prefixed) {
    oldName = oldName === null ? null : oldName.slice(2);
    newName = newName === null ? null : newName.slice(2);
  }
  let status: PatchFile['status'];
  if (entry.isBinary || gitBinary) status = 'binary';
  else if (oldName === null && newName !== null) status = 'added';
  else if (newName === null && oldName !== null) status = 'deleted';
  else if (entry.isRename) status = 'renamed';
  else if (entry.isCopy) status = 'added';
  else status = 'modified';
  const file: PatchFile = {
    oldPath: entry.isCopy ? null : oldName,
    newPath: newName,
    status,
    hunks: entry.hunks.map((h) => ({ oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: h.lines })),
  };
  if (entry.isCopy && oldName !== null) file.copiedFrom = oldName;
  if (entry.oldMode) file.oldMode = entry.oldMode;
  if (entry.newMode) file.newMode = entry.newMode;
  return file;
}

/**
 * `git diff --binary` writes "GIT binary patch" and base85 data instead of "Binary files ... differ";
 * parsePatch skips those lines without flagging the file. Git writes one `diff --git` header per
 * file, and parsePatch one entry per header, so the header count before the marker names the entry.
 */
function gitBinaryPatchFiles(text: string): Set<number> {
  const found = new Set<number>();
  let headers = -1;
  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) headers++;
    else if (line === 'GIT binary patch' && headers >= 0) found.add(headers);
  }
  return found;
}
