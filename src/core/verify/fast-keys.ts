import { normalizeLineEnds } from './parse';

const HUNK_HEADER = /^@@\s/;
const HUNK_RANGES = /@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const FILE_HEADER = /^(---|\+\+\+)\s/;

/**
 * The keys (sign + text, i.e. the patch line itself) of a patch's changed lines, in the order
 * changedLines() lists them, in one pass without building the parsed structure: scoring runs for
 * every sample and in the curation view, and parsePatch plus an object per line cost more than the
 * matching itself.
 *
 * It reads hunks the way parsePatch does (the header's line counts decide where a body ends, `\`
 * markers, an empty line is context). Whenever the text strays from the shapes it knows (a
 * malformed hunk, a file header that is not a `---` line directly followed by a `+++` line), it
 * returns null and the caller uses the full parser, which gives the authoritative answer or error.
 * The unit tests and bench/scoring.ts check that both paths agree.
 */
export function changedLineKeys(patch: string): string[] | null {
  // Lines are walked with indexOf rather than split('\n'), so context and header lines are never
  // copied out; only changed lines become strings. "Line" means an element of text.split('\n').
  const text = normalizeLineEnds(patch);
  const n = text.length;
  const keys: string[] = [];
  const endOf = (from: number) => {
    const e = text.indexOf('\n', from);
    return e === -1 ? n : e;
  };
  let pos = 0; // start of the current line; the text is done when pos > n
  while (pos <= n) {
    const end = endOf(pos);
    const c = text.charCodeAt(pos);
    if (c === 64 /* @ */) {
      const line = text.slice(pos, end);
      pos = end + 1;
      if (!HUNK_HEADER.test(line)) continue;
      const m = HUNK_RANGES.exec(line);
      if (!m) return null;
      let oldLines = m[2] === undefined ? 1 : +m[2];
      let newLines = m[4] === undefined ? 1 : +m[4];
      let removed = 0;
      let added = 0;
      while (pos <= n) {
        const op = text.charCodeAt(pos); // NaN for an empty line
        if (!(removed < oldLines || added < newLines || op === 92 /* \ */)) break;
        let e = text.indexOf('\n', pos);
        if (e === -1) e = n;
        if (op === 43 /* + */ || op === 45 /* - */) {
          if (!isBlankAfterSign(text, pos, e)) keys.push(text.slice(pos, e));
          if (op === 43) added++;
          else removed++;
        } else if (op === 32 /* space */ || (e === pos && e < n)) {
          added++;
          removed++;
        } else if (op !== 92) {
          return null; // parsePatch: invalid line in a hunk (an empty final line included)
        }
        pos = e + 1;
      }
      if (!added && newLines === 1) newLines = 0;
      if (!removed && oldLines === 1) oldLines = 0;
      if (added !== newLines || removed !== oldLines) return null;
      const next = text.charCodeAt(pos);
      // parsePatch: a body-like line right after the counted body means the counts were wrong.
      if ((next === 43 || next === 45 || next === 32) && !FILE_HEADER.test(text.slice(pos, endOf(pos)))) return null;
    } else if (c === 45 /* - */ || c === 43 /* + */) {
      const line = text.slice(pos, end);
      pos = end + 1;
      if (!FILE_HEADER.test(line)) continue;
      // Only the ordinary pair, `--- old` then `+++ new`, is taken here.
      if (c !== 45 || text.charCodeAt(pos) !== 43) return null;
      const e = endOf(pos);
      if (!FILE_HEADER.test(text.slice(pos, e))) return null;
      pos = e + 1;
    } else {
      pos = end + 1;
    }
  }
  return keys;
}

/** isBlankText of the text after the sign in text[start, end), without copying: most lines end in a visible character. */
function isBlankAfterSign(text: string, start: number, end: number): boolean {
  const last = text.charCodeAt(end - 1);
  // A visible ASCII last character is text unless it is the sign itself.
  if (last > 32 && last < 127) return end - start === 1;
  return text.slice(start + 1, end).trim().length === 0;
}
