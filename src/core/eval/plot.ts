import type { EvalReport } from './report';

const PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777'];
const BINS = 20;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n * 100)}%` : '–');

/**
 * The recall of every task per model as one row of stacked dots (a dot histogram in bins of
 * 0.05), with the mean and its 95% interval under it and the resolve threshold across all rows:
 * how the models differ is seen at a glance, and each dot is one task.
 */
export function recallPlot(report: EvalReport): string {
  const width = 760;
  const left = 190;
  const right = 30;
  const plotW = width - left - right;
  const top = 58;
  const counts = report.models.map((m) => {
    const bins = new Array<number>(BINS + 1).fill(0);
    for (const row of report.tasks) {
      const r = row.results[m.label];
      if (r && 'recall' in r) bins[Math.round(r.recall * BINS)]++;
    }
    return bins;
  });
  const most = Math.max(1, ...counts.flat());
  // Dots shrink when a bin holds many tasks, so a row keeps its height.
  const radius = Math.max(1.5, Math.min(6, 70 / (2 * most)));
  const rowH = Math.max(70, Math.min(most * radius * 2 + 34, 150));
  const height = top + rowH * report.models.length + 50;
  const x = (recall: number) => left + recall * plotW;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  const kind = report.source.kind === 'history' ? 'commits of the repository' : 'held-out samples';
  parts.push(`<text x="12" y="24" font-size="15" font-weight="bold" fill="#111827">Recall of the reference per task (${report.source.tasks} ${esc(kind)})</text>`);
  parts.push(`<text x="12" y="42" font-size="11" fill="#4b5563">one dot per task · bar: mean recall and its 95% bootstrap interval · dashed: resolved from recall ${fmt(report.threshold)} (if submitted)</text>`);
  const axisY = top + rowH * report.models.length;
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${x(tick)}" y1="${top}" x2="${x(tick)}" y2="${axisY}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${x(tick)}" y="${axisY + 16}" font-size="11" text-anchor="middle" fill="#374151">${tick}</text>`);
  }
  parts.push(`<line x1="${left}" y1="${axisY}" x2="${left + plotW}" y2="${axisY}" stroke="#6b7280"/>`);
  parts.push(`<text x="${left + plotW / 2}" y="${axisY + 34}" font-size="12" text-anchor="middle" fill="#111827">recall of the reference patch's changed lines</text>`);
  report.models.forEach((m, i) => {
    const color = PALETTE[i % PALETTE.length];
    const rowTop = top + i * rowH;
    const base = rowTop + rowH - 26;
    if (i > 0) parts.push(`<line x1="12" y1="${rowTop}" x2="${width - 12}" y2="${rowTop}" stroke="#f3f4f6"/>`);
    parts.push(`<text x="12" y="${rowTop + 22}" font-size="13" font-weight="bold" fill="${color}">${esc(m.label.slice(0, 24))}</text>`);
    parts.push(`<text x="12" y="${rowTop + 38}" font-size="11" fill="#374151">mean ${fmt(m.recall.mean)} [${fmt(m.recall.low)}, ${fmt(m.recall.high)}]</text>`);
    parts.push(`<text x="12" y="${rowTop + 52}" font-size="11" fill="#374151">resolved ${pct(m.resolved.mean)} · submitted ${pct(m.submitRate)}</text>`);
    counts[i].forEach((count, bin) => {
      for (let k = 0; k < count; k++) {
        parts.push(`<circle cx="${x(bin / BINS).toFixed(1)}" cy="${(base - 6 - radius - k * radius * 2).toFixed(1)}" r="${(radius * 0.9).toFixed(2)}" fill="${color}" fill-opacity="0.75"/>`);
      }
    });
    if (m.tasks > 0) {
      parts.push(`<line x1="${x(m.recall.low).toFixed(1)}" y1="${base + 6}" x2="${x(m.recall.high).toFixed(1)}" y2="${base + 6}" stroke="${color}" stroke-width="3" stroke-linecap="round"/>`);
      const cx = x(m.recall.mean);
      parts.push(`<path d="M ${(cx - 6).toFixed(1)} ${base + 6} L ${cx.toFixed(1)} ${base} L ${(cx + 6).toFixed(1)} ${base + 6} L ${cx.toFixed(1)} ${base + 12} Z" fill="#111827"/>`);
    }
  });
  parts.push(`<line x1="${x(report.threshold)}" y1="${top - 4}" x2="${x(report.threshold)}" y2="${axisY}" stroke="#111827" stroke-dasharray="5 4"/>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
