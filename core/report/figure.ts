// The report's timeline figure as plain SVG (no script, no external reference): one lane per
// process of the incidents, then the controller-write and alarm lanes; the incidents' spans as
// shaded bands, the analyst's notes as numbered markers. The same SVG goes inline in the HTML
// (and so into the PDF) and into a separate .svg file the Markdown report links to.
import { escapeHtml as x } from './escape.ts';
import type { TimelineFigure } from './model.ts';
import { BOTTOM, LABEL_W, LANE_COLOUR, LANE_H, MERGE_UNITS, PLOT_W, TOP, WIDTH } from './figure-geometry.ts';
import { shorten } from '../util/text.ts';

export function renderTimelineSvg(fig: TimelineFigure, caption: string): string {
  const lo = Date.parse(fig.from);
  const hi = Math.max(Date.parse(fig.to), lo + 1);
  const px = (iso: string) => LABEL_W + ((Date.parse(iso) - lo) / (hi - lo)) * PLOT_W;
  const height = TOP + fig.lanes.length * LANE_H + BOTTOM;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="tb-figure-title" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  parts.push(`<title id="tb-figure-title">${x(caption)}</title>`);
  parts.push(`<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  // Incidents' spans: shaded bands over every lane, numbered at the top.
  for (const i of fig.incidents) {
    const a = px(i.from);
    const w = Math.max(2, px(i.to) - a);
    parts.push(`<g class="incident"><title>${x(`Incident ${i.id}: ${i.title} (${i.from} … ${i.to})`)}</title><rect x="${a.toFixed(1)}" y="${TOP - 6}" width="${w.toFixed(1)}" height="${fig.lanes.length * LANE_H + 6}" fill="#fde68a" fill-opacity="0.45" stroke="#d97706" stroke-width="0.8"/><text x="${(a + 2).toFixed(1)}" y="${TOP - 9}" fill="#92400e" font-weight="bold">I${i.id}</text></g>`);
  }
  fig.lanes.forEach((lane, n) => {
    const y = TOP + n * LANE_H;
    parts.push(`<g class="lane" data-lane="${x(lane.name)}">`);
    parts.push(`<rect x="${LABEL_W}" y="${y + 2}" width="${PLOT_W}" height="${LANE_H - 4}" fill="${n % 2 === 0 ? '#f6f8fa' : '#ffffff'}" fill-opacity="0.6"/>`);
    parts.push(`<text x="${LABEL_W - 6}" y="${y + LANE_H / 2 + 4}" text-anchor="end" fill="#1d232a">${x(shorten(lane.name, 36))}</text>`);
    let lastPx = -Infinity;
    let run: { px: number; n: number; label: string; id: number } | null = null;
    const flush = () => {
      if (!run) return;
      parts.push(`<rect x="${(run.px - 1.5).toFixed(1)}" y="${y + 4}" width="3" height="${LANE_H - 8}" fill="${LANE_COLOUR[lane.kind]}"><title>${x(run.n > 1 ? `${run.n} events from #${run.id}: ${run.label}` : `#${run.id} ${run.label}`)}</title></rect>`);
      run = null;
    };
    for (const m of [...lane.marks].sort((a, b) => a.ts.localeCompare(b.ts))) {
      const p = px(m.ts);
      if (run && p - lastPx < MERGE_UNITS) run.n += 1;
      else {
        flush();
        run = { px: p, n: 1, label: shorten(m.label, 120), id: m.event_id };
      }
      lastPx = p;
    }
    flush();
    if (lane.marks.length === 0) parts.push(`<text x="${LABEL_W + 6}" y="${y + LANE_H / 2 + 4}" fill="#8c959f">none in this period</text>`);
    parts.push('</g>');
  });
  // Notes: a dashed line across the lanes, numbered as in the report (A<id>).
  for (const a of fig.annotations) {
    const p = px(a.ts).toFixed(1);
    parts.push(`<g class="annotation"><title>${x(`Annotation ${a.annotation_id} (${a.tag}) at ${a.ts}`)}</title><line x1="${p}" y1="${TOP - 4}" x2="${p}" y2="${TOP + fig.lanes.length * LANE_H}" stroke="#6d28d9" stroke-dasharray="3,2"/><path d="M${p} ${TOP - 2} l-4 -7 h8 z" fill="#6d28d9"/><text x="${p}" y="${TOP - 20}" text-anchor="middle" fill="#6d28d9" font-size="9">A${a.annotation_id}</text></g>`);
  }
  // Time axis (UTC).
  const axisY = TOP + fig.lanes.length * LANE_H + 4;
  parts.push(`<line x1="${LABEL_W}" y1="${axisY}" x2="${LABEL_W + PLOT_W}" y2="${axisY}" stroke="#57606a"/>`);
  for (let k = 0; k <= 5; k++) {
    const t = lo + ((hi - lo) * k) / 5;
    const p = (LABEL_W + (PLOT_W * k) / 5).toFixed(1);
    parts.push(`<line x1="${p}" y1="${axisY}" x2="${p}" y2="${axisY + 4}" stroke="#57606a"/><text x="${p}" y="${axisY + 16}" text-anchor="middle" fill="#57606a">${new Date(t).toISOString().slice(11, 23)}</text>`);
  }
  parts.push(`<text x="4" y="${axisY + 16}" fill="#57606a">UTC, ${x(fig.from.slice(0, 10))}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

/** The figure as a standalone .svg file. */
export function svgFile(svg: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
