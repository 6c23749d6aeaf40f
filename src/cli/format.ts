/** "1 sample", "2 samples", "1,234 samples": counts as a sentence reads them. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}

/** 1234567 -> "1,234,567"; the same on every machine, whatever its locale. */
export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '?';
  const s = Math.round(ms / 1000);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
