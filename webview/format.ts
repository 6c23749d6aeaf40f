import type { Decision, SampleStatus } from '../src/protocol';

export const STATUS_LABEL: Record<SampleStatus, string> = { verified: 'Verified', 'below-threshold': 'Below threshold', failed: 'Failed', 'too-large': 'P1 too large' };
export const DECISION_LABEL: Record<Decision, string> = { accepted: 'Accepted', rejected: 'Rejected', undecided: 'Undecided' };

export function ratio(v: number | null): string {
  return v === null ? '–' : v.toFixed(2);
}

/** 20000 -> "20,000" (toLocaleString costs milliseconds on its first call). */
export function count(n: number): string {
  const s = String(Math.round(n));
  return s.length > 3 ? s.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : s;
}

export function tokens(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 2 : 1)}M`;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s % 60)}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
}

/** Parses a recall typed by the user: "0.8", ".8", "80%"; null for blank, NaN for nonsense. */
export function parseRatio(text: string): number | null {
  const t = text.trim();
  if (!t) return null;
  const percent = t.endsWith('%');
  const v = Number(percent ? t.slice(0, -1) : t);
  if (!Number.isFinite(v)) return NaN;
  const r = percent || v > 1 ? v / 100 : v;
  return r >= 0 && r <= 1 ? r : NaN;
}
