export type Cell = string | number | undefined | null;

/**
 * A GitHub-flavoured markdown table, padded so it also reads well in a terminal.
 * Columns whose cells are all numbers (or empty) are right-aligned.
 */
export function markdownTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((row) => headers.map((_, i) => cellText(row[i])));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => row[i] == null || typeof row[i] === 'number'));
  const widths = headers.map((h, i) => Math.max(3, h.length, ...text.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(headers), rule, ...text.map(line)].join('\n');
}

function cellText(cell: Cell): string {
  if (cell == null) return '';
  return String(cell).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
