import { changedLines, parseUnifiedDiff, type PatchFile } from '../../core/verify';
import type { DiffLine, PatchFileView, PatchView } from '../../protocol';

/**
 * A patch as the panel draws it: files, hunk headers and body lines, each changed line carrying
 * its index among the patch's changed lines. That index is what the verification match map
 * refers to, so it is taken from src/core/verify's changedLines (the same function that scored
 * the sample), never recounted here.
 */
export function buildPatchView(patch: string): PatchView {
  let files: PatchFile[];
  try {
    files = parseUnifiedDiff(patch);
  } catch (error) {
    return { files: [], changed: 0, error: (error as Error).message, raw: patch };
  }
  const changed = changedLines(files);
  // changedLines numbers hunks across the whole patch; a changed line is known by hunk, sign and line number.
  const indexOf = new Map<string, number>();
  for (const line of changed) indexOf.set(`${line.hunk}${line.sign}${line.sign === '+' ? line.newLine : line.oldLine}`, line.index);

  const views: PatchFileView[] = [];
  let hunkNo = 0;
  for (const file of files) {
    const lines: DiffLine[] = [];
    if (file.status === 'binary') lines.push({ k: 'meta', t: 'Binary file: no text to show.' });
    if (file.status === 'renamed' && !file.hunks.length) lines.push({ k: 'meta', t: `Renamed from ${file.oldPath ?? '?'} without changes.` });
    if (file.oldMode && file.newMode && file.oldMode !== file.newMode) lines.push({ k: 'meta', t: `Mode ${file.oldMode} → ${file.newMode}` });
    for (const hunk of file.hunks) {
      lines.push({ k: 'hunk', t: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` });
      let oldLine = hunk.oldStart;
      let newLine = hunk.newStart;
      for (const raw of hunk.lines) {
        const sign = raw[0];
        const text = raw.slice(1);
        if (sign === '+') {
          const line: DiffLine = { k: 'add', t: text, n: newLine };
          const c = indexOf.get(`${hunkNo}+${newLine}`);
          if (c !== undefined) line.c = c;
          lines.push(line);
          newLine++;
        } else if (sign === '-') {
          const line: DiffLine = { k: 'del', t: text, o: oldLine };
          const c = indexOf.get(`${hunkNo}-${oldLine}`);
          if (c !== undefined) line.c = c;
          lines.push(line);
          oldLine++;
        } else if (sign === '\\') {
          lines.push({ k: 'meta', t: raw });
        } else {
          lines.push({ k: 'ctx', t: sign === ' ' ? text : raw, o: oldLine, n: newLine });
          oldLine++;
          newLine++;
        }
      }
      hunkNo++;
    }
    views.push({ path: file.newPath ?? file.oldPath ?? '', oldPath: file.oldPath, status: file.status, lines });
  }
  return { files: views, changed: changed.length };
}

/** The text of one file's section of a patch (for side-by-side patch diffs when the base is not at hand). */
export function patchSectionOf(patch: string, path: string): string {
  const sections = patch.split(/^(?=diff --git )/m);
  const wanted = sections.filter((s) => {
    const header = s.split('\n', 1)[0];
    return header.startsWith('diff --git ') && (header.endsWith(` b/${path}`) || header.includes(` a/${path} `));
  });
  return wanted.join('');
}
