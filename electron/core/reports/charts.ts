// Inline SVG charts for the report page: no scripts, no fonts or images fetched, printable.
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const W = 640;
const H = 160;
const PAD = { l: 34, r: 8, t: 10, b: 22 };

interface Series {
  label: string;
  color: string;
  /** null: not measured (a gap in the line, never a zero). */
  values: (number | null)[];
}

function axes(days: string[], max: number): string {
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const ticks = [0, max / 2, max].map((v) => {
    const y = PAD.t + ih - (v / max) * ih;
    return `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y}" y2="${y}" stroke="#e3e3e3"/><text x="${PAD.l - 4}" y="${y + 3}" text-anchor="end">${Math.round(v)}</text>`;
  });
  const step = Math.max(1, Math.ceil(days.length / 8));
  const labels = days
    .map((d, i) => (i % step === 0 ? `<text x="${PAD.l + ((i + 0.5) * iw) / days.length}" y="${H - 6}" text-anchor="middle">${esc(d.slice(5))}</text>` : ''))
    .join('');
  return ticks.join('') + labels;
}

const legend = (series: Series[]) =>
  `<div class="legend">${series.map((s) => `<span><svg width="10" height="10"><rect width="10" height="10" fill="${s.color}"/></svg> ${esc(s.label)}</span>`).join('')}</div>`;

/** Lines over days (e.g. health 0–100); gaps where a value is unknown. */
export function lineChart(days: string[], series: Series[], max = 100): string {
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const x = (i: number) => PAD.l + ((i + 0.5) * iw) / Math.max(1, days.length);
  const y = (v: number) => PAD.t + ih - (Math.min(v, max) / max) * ih;
  const paths = series.map((s) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) return void (pen = false);
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    const dots = s.values.map((v, i) => (v === null ? '' : `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2" fill="${s.color}"/>`)).join('');
    return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"/>${dots}`;
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img">${axes(days, max)}${paths.join('')}</svg>${legend(series)}`;
}

/** Bars per day (e.g. warmup sent) with a line over them (the ramp's target). */
export function barsWithLine(days: string[], bars: Series, line: Series): string {
  const all = [...bars.values, ...line.values].filter((v): v is number => v !== null);
  const max = Math.max(4, ...all);
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const bw = iw / Math.max(1, days.length);
  const y = (v: number) => PAD.t + ih - (v / max) * ih;
  const rects = bars.values
    .map((v, i) => (v === null ? '' : `<rect x="${(PAD.l + i * bw + bw * 0.15).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(bw * 0.7).toFixed(1)}" height="${(PAD.t + ih - y(v)).toFixed(1)}" fill="${bars.color}"/>`))
    .join('');
  const d = line.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${(PAD.l + (i + 0.5) * bw).toFixed(1)},${y(v ?? 0).toFixed(1)}`).join('');
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img">${axes(days, max)}${rects}<path d="${d}" fill="none" stroke="${line.color}" stroke-width="1.5" stroke-dasharray="4 3"/></svg>${legend([bars, line])}`;
}

/** One stacked horizontal bar of shares (inbox / spam / other). */
export function shareBar(parts: { label: string; value: number; color: string }[]): string {
  const total = parts.reduce((a, p) => a + p.value, 0);
  if (total === 0) return '<span class="unknown">unknown (nothing read)</span>';
  let x = 0;
  const rects = parts.map((p) => {
    const w = (p.value / total) * 200;
    const r = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="10" fill="${p.color}"/>`;
    x += w;
    return r;
  });
  return `<svg viewBox="0 0 200 10" width="200" height="10">${rects.join('')}</svg>`;
}
