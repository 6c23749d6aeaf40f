import type { ScanResult, SkipReason } from './types';

/**
 * The counts of a scan as every door shows them (the CLI's summary and --json, VS Code's
 * message and log), so the numbers agree wherever they are read. Files that are not source code
 * in a supported language are counted apart: they were never candidates.
 */
export interface ScanCounts {
  functions: number;
  filesScanned: number;
  /** Source files (and, outside git, whole folders such as node_modules/) passed over, by reason. */
  skipped: { files: number; folders: number; byReason: Partial<Record<SkipReason, number>> };
  notSource: number;
  filesWithErrors: string[];
}

export function scanCounts(result: Pick<ScanResult, 'functions' | 'filesScanned' | 'skipped' | 'filesWithErrors'>): ScanCounts {
  const counts: ScanCounts = { functions: result.functions.length, filesScanned: result.filesScanned, skipped: { files: 0, folders: 0, byReason: {} }, notSource: 0, filesWithErrors: result.filesWithErrors };
  for (const s of result.skipped) {
    if (s.reason === 'unsupported-language') {
      counts.notSource++;
      continue;
    }
    if (s.file.endsWith('/')) counts.skipped.folders++;
    else counts.skipped.files++;
    counts.skipped.byReason[s.reason] = (counts.skipped.byReason[s.reason] ?? 0) + 1;
  }
  return counts;
}

const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/** "1 file has syntax errors (app/x.py)": names up to three, so the user can open them. */
export function describeSyntaxErrors(files: string[]): string {
  if (!files.length) return '';
  const named = files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
  return `${n(files.length, 'file')} ${files.length === 1 ? 'has' : 'have'} syntax errors (${named})`;
}

/** One sentence: "12 functions in 4 files; 3 skipped (2 test-code, 1 vendored); 1 file has syntax errors (a.py)." */
export function describeScan(counts: ScanCounts): string {
  const parts = [`${n(counts.functions, 'function')} in ${n(counts.filesScanned, 'file')}`];
  const { files, folders, byReason } = counts.skipped;
  if (files + folders) {
    const what = [files ? n(files, 'file') : '', folders ? n(folders, 'folder') : ''].filter(Boolean).join(' and ');
    const reasons = Object.entries(byReason).sort((a, b) => b[1] - a[1]).map(([reason, count]) => `${count.toLocaleString('en-US')} ${reason}`);
    parts.push(`${what} skipped (${reasons.join(', ')})`);
  }
  const errors = describeSyntaxErrors(counts.filesWithErrors);
  if (errors) parts.push(errors);
  return parts.join('; ') + '.';
}
