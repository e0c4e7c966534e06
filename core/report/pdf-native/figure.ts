// The timeline figure drawn with the PDF's own vector operations, from the same TimelineFigure the
// SVG figure (../figure.ts) is built from and with the same geometry: one lane per process of the
// incidents, then the controller-write and alarm lanes; the incidents' spans as shaded bands, the
// analyst's notes as numbered dashed markers, a UTC time axis. Drawn in the SVG's 1000-unit
// coordinates and scaled to the text width, so it reads like the HTML report's figure.
import type { TimelineFigure } from '../model.ts';
import { COLOUR, PAGE, type PdfLayout } from './layout.ts';
import { BOTTOM, LABEL_W, LANE_COLOUR, LANE_H, MERGE_UNITS, PLOT_W, TOP, WIDTH } from '../figure-geometry.ts';
import { shorten } from '../../util/text.ts';

const FONT_SIZE = 11;

/** Draws the figure at the current position, full text width, and moves below it. */
export function drawTimeline(layout: PdfLayout, fig: TimelineFigure): void {
  const doc = layout.doc;
  const scale = layout.width / WIDTH;
  const height = TOP + fig.lanes.length * LANE_H + BOTTOM;
  layout.keep(height * scale + 4);
  const x0 = PAGE.side;
  const y0 = doc.y;
  const lo = Date.parse(fig.from);
  const hi = Math.max(Date.parse(fig.to), lo + 1);
  const px = (iso: string) => LABEL_W + ((Date.parse(iso) - lo) / (hi - lo)) * PLOT_W;
  const lanesBottom = TOP + fig.lanes.length * LANE_H;
  // Text is placed by its baseline in the SVG; pdfkit places it by its top.
  const label = (text: string, x: number, baseline: number, opts: { color: string; size?: number; align?: 'left' | 'right' | 'center'; font?: 'sans' | 'bold' }) => {
    const size = opts.size ?? FONT_SIZE;
    const font = opts.font ?? 'sans';
    const shown = layout.visible(text, font);
    doc.font(font).fontSize(size).fillColor(opts.color);
    const w = doc.widthOfString(shown);
    const left = opts.align === 'right' ? x - w : opts.align === 'center' ? x - w / 2 : x;
    doc.text(shown, left, baseline - size * 0.8, { lineBreak: false });
  };

  doc.save();
  doc.translate(x0, y0).scale(scale);
  // Incidents' spans: shaded bands over every lane, numbered at the top.
  for (const i of fig.incidents) {
    const a = px(i.from);
    const w = Math.max(2, px(i.to) - a);
    doc.rect(a, TOP - 6, w, fig.lanes.length * LANE_H + 6).fillOpacity(0.45).fill('#fde68a');
    doc.fillOpacity(1).rect(a, TOP - 6, w, fig.lanes.length * LANE_H + 6).lineWidth(0.8).stroke('#d97706');
    label(`I${i.id}`, a + 2, TOP - 9, { color: '#92400e', font: 'bold' });
  }
  fig.lanes.forEach((lane, n) => {
    const y = TOP + n * LANE_H;
    doc.rect(LABEL_W, y + 2, PLOT_W, LANE_H - 4).fillOpacity(0.6).fill(n % 2 === 0 ? '#f6f8fa' : '#ffffff');
    doc.fillOpacity(1);
    label(shorten(lane.name, 36), LABEL_W - 6, y + LANE_H / 2 + 4, { color: COLOUR.text, align: 'right' });
    let lastPx = -Infinity;
    doc.fillColor(LANE_COLOUR[lane.kind]);
    for (const m of [...lane.marks].sort((a, b) => a.ts.localeCompare(b.ts))) {
      const p = px(m.ts);
      if (p - lastPx >= MERGE_UNITS) doc.rect(p - 1.5, y + 4, 3, LANE_H - 8).fill(LANE_COLOUR[lane.kind]);
      lastPx = p;
    }
    if (lane.marks.length === 0) label('none in this period', LABEL_W + 6, y + LANE_H / 2 + 4, { color: '#8c959f' });
  });
  // Notes: a dashed line across the lanes with a triangle, numbered as in the report (A<id>).
  for (const a of fig.annotations) {
    const p = px(a.ts);
    doc.moveTo(p, TOP - 4).lineTo(p, lanesBottom).lineWidth(1).dash(3, { space: 2 }).stroke(COLOUR.accent);
    doc.undash();
    doc.polygon([p, TOP - 2], [p - 4, TOP - 9], [p + 4, TOP - 9]).fill(COLOUR.accent);
    label(`A${a.annotation_id}`, p, TOP - 20, { color: COLOUR.accent, size: 9, align: 'center' });
  }
  // Time axis (UTC).
  const axisY = lanesBottom + 4;
  doc.moveTo(LABEL_W, axisY).lineTo(LABEL_W + PLOT_W, axisY).lineWidth(1).stroke(COLOUR.muted);
  for (let k = 0; k <= 5; k++) {
    const t = lo + ((hi - lo) * k) / 5;
    const p = LABEL_W + (PLOT_W * k) / 5;
    doc.moveTo(p, axisY).lineTo(p, axisY + 4).stroke(COLOUR.muted);
    label(new Date(t).toISOString().slice(11, 23), p, axisY + 16, { color: COLOUR.muted, align: 'center' });
  }
  label(`UTC, ${fig.from.slice(0, 10)}`, 4, axisY + 16, { color: COLOUR.muted });
  doc.restore();
  layout.forgetStyle();
  doc.x = PAGE.side;
  doc.y = y0 + height * scale + 4;
}
