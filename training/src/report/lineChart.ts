/** Line charts: training curves (loss/metric per epoch, train vs validation) and, through rocSvg, ROC curves. */
import { border, frame, legend, legendBox, titleAndLabels, xAxis, yAxis } from './axes';
import { PALETTE, escapeXml, extent, niceTicks, num, svgDocument, text, xOf, yOf, type XY } from './svg';

export interface LineSeries {
  name: string;
  points: readonly XY[];
  color?: string;
  dashed?: boolean;
  /** Draw a dot on every point (useful with few epochs). Default: when the series has at most 40 points. */
  dots?: boolean;
}

export interface Marker {
  x: number;
  y: number;
  label: string;
  color?: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  width?: number;
  height?: number;
  /** Fixed axis ranges; by default the data's extent (y padded by 5%). */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Labeled points drawn over the lines (e.g. operating thresholds on a ROC curve). */
  markers?: Marker[];
  /** Dashed y = x reference line (chance level on a ROC plot). */
  diagonal?: boolean;
  /** Default: the corner whose legend box covers fewer data points (top on a tie). */
  legendCorner?: 'top' | 'bottom';
}

/** Splits a series at non-finite points so a missing value leaves a gap instead of a wrong line. */
function runs(points: readonly XY[]): XY[][] {
  const out: XY[][] = [[]];
  for (const p of points) {
    if (Number.isFinite(xOf(p)) && Number.isFinite(yOf(p))) out[out.length - 1].push(p);
    else if (out[out.length - 1].length) out.push([]);
  }
  return out.filter((r) => r.length > 0);
}

export function lineChartSvg(o: LineChartOptions): string {
  const f = frame(o.width ?? 640, o.height ?? 400);
  const all = o.series.flatMap((s) => s.points);
  const xd = o.xDomain ?? extent(all.map(xOf));
  let yd = o.yDomain;
  if (!yd) {
    const [lo, hi] = extent(all.map(yOf));
    const pad = (hi - lo) * 0.05;
    yd = [lo - pad, hi + pad];
  }
  // Epochs and other counts get whole-number ticks only (no "epoch 1.5").
  let xTicks = niceTicks(xd[0], xd[1]);
  if (all.length && all.every((p) => Number.isInteger(xOf(p))) && xTicks.filter(Number.isInteger).length >= 2) xTicks = xTicks.filter(Number.isInteger);
  const { x, parts: xParts } = xAxis(f, xd, xTicks);
  const { y, parts: yParts } = yAxis(f, yd);
  const clipId = 'plot-area';
  const body: string[] = [
    `<defs><clipPath id="${clipId}"><rect x="${num(f.left)}" y="${num(f.top)}" width="${num(f.right - f.left)}" height="${num(f.bottom - f.top)}"/></clipPath></defs>`,
    ...xParts,
    ...yParts,
    ...titleAndLabels(f, o.title, o.xLabel, o.yLabel),
  ];
  if (o.diagonal) {
    const lo = Math.max(xd[0], yd[0]);
    const hi = Math.min(xd[1], yd[1]);
    if (hi > lo) body.push(`<line x1="${num(x(lo))}" y1="${num(y(lo))}" x2="${num(x(hi))}" y2="${num(y(hi))}" stroke="#999" stroke-dasharray="4 4"/>`);
  }
  const entries: { name: string; color: string; dashed?: boolean }[] = [];
  o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    entries.push({ name: s.name, color, dashed: s.dashed });
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    const group = [`<g clip-path="url(#${clipId})"><title>${escapeXml(s.name)}</title>`];
    for (const r of runs(s.points)) {
      const d = r.map((p, k) => `${k ? 'L' : 'M'}${num(x(xOf(p)))} ${num(y(yOf(p)))}`).join(' ');
      group.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
      if (s.dots ?? s.points.length <= 40) for (const p of r) group.push(`<circle cx="${num(x(xOf(p)))}" cy="${num(y(yOf(p)))}" r="2.5" fill="${color}"/>`);
    }
    group.push('</g>');
    body.push(...group);
  });
  // Marker labels are stacked downwards when they would overlap (operating points often sit close together).
  const placed: { x0: number; x1: number; y: number }[] = [];
  for (const m of o.markers ?? []) {
    const color = m.color ?? '#000';
    const cx = x(m.x);
    const cy = y(m.y);
    const anchorLeft = cx < (f.left + f.right) / 2;
    const w = m.label.length * 6.5;
    const x0 = anchorLeft ? cx + 9 : cx - 9 - w;
    let ly = cy + (cy < f.top + 20 ? 16 : -8);
    while (placed.some((p) => Math.abs(p.y - ly) < 14 && p.x0 < x0 + w && x0 < p.x1)) ly += 14;
    placed.push({ x0, x1: x0 + w, y: ly });
    body.push(`<circle cx="${num(cx)}" cy="${num(cy)}" r="5" fill="${color}" stroke="#fff" stroke-width="1.5"/>`);
    body.push(text(anchorLeft ? cx + 9 : cx - 9, ly, m.label, `text-anchor="${anchorLeft ? 'start' : 'end'}" fill="${color}"`));
  }
  // A legend over the curve's last points hides the end of training, which is what one looks at first.
  const covered = (corner: 'top' | 'bottom') => {
    const b = legendBox(f, entries, corner);
    return all.filter((p) => {
      const px = x(xOf(p));
      const py = y(yOf(p));
      return px >= b.x0 - 4 && px <= b.x0 + b.w + 4 && py >= b.y0 - 4 && py <= b.y0 + b.h + 4;
    }).length;
  };
  const corner = o.legendCorner ?? (covered('bottom') < covered('top') ? 'bottom' : 'top');
  body.push(border(f), ...legend(f, entries, corner));
  return svgDocument(f.width, f.height, o.title, body);
}
