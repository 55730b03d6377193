/** Grouped vertical bars over named categories (e.g. Dice per patient, one bar per method). */
import { border, frame, legend, titleAndLabels, yAxis } from './axes';
import { PALETTE, escapeXml, extent, formatTick, num, svgDocument, text } from './svg';

export interface BarSeries {
  name: string;
  /** One value per category; NaN/null draws no bar (e.g. a patient without tumor slices). */
  values: readonly (number | null)[];
  color?: string;
}

export interface BarChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  categories: readonly string[];
  series: BarSeries[];
  yDomain?: [number, number];
  /** Dashed horizontal lines with a label (e.g. the mean, or a target). */
  referenceLines?: { y: number; label: string; color?: string }[];
  width?: number;
  height?: number;
}

export function barChartSvg(o: BarChartOptions): string {
  for (const s of o.series)
    if (s.values.length !== o.categories.length) throw new Error(`bar series "${s.name}" has ${s.values.length} values for ${o.categories.length} categories`);
  // Long category names (patient ids) are written at -60 degrees below the axis: leave room for them.
  const longest = Math.max(0, ...o.categories.map((c) => c.length));
  const bottom = 52 + Math.min(180, longest * 6);
  const width = o.width ?? Math.max(480, 110 + o.categories.length * (10 + 9 * o.series.length));
  // The legend sits above the plot so it never hides a bar.
  const top = 44 + 16 * o.series.length;
  // Reference lines are labelled in a margin right of the plot, where no bar or other label can cover them.
  const lines = (o.referenceLines ?? []).filter((r) => Number.isFinite(r.y) && r.y >= yDomainOf(o)[0] && r.y <= yDomainOf(o)[1]);
  const labelRoom = lines.length ? 14 + 6.5 * Math.max(...lines.map((r) => r.label.length)) : 0;
  const f = frame(width + labelRoom, o.height ?? 260 + top + bottom, { left: 64, right: 24 + labelRoom, top, bottom });
  const yd = yDomainOf(o);
  const { y, parts } = yAxis(f, yd);
  const body = [...parts, ...titleAndLabels(f, o.title, o.xLabel, o.yLabel)];
  const slot = (f.right - f.left) / Math.max(1, o.categories.length);
  const barW = (slot * 0.8) / Math.max(1, o.series.length);
  const base = y(Math.min(Math.max(0, yd[0]), yd[1]));
  const entries: { name: string; color: string }[] = [];
  o.series.forEach((s, si) => {
    const color = s.color ?? PALETTE[si % PALETTE.length];
    entries.push({ name: s.name, color });
    s.values.forEach((v, ci) => {
      if (v === null || !Number.isFinite(v)) return;
      const clamped = Math.min(yd[1], Math.max(yd[0], v));
      const x = f.left + ci * slot + slot * 0.1 + si * barW;
      const top = Math.min(y(clamped), base);
      const h = Math.abs(base - y(clamped));
      body.push(
        `<rect x="${num(x)}" y="${num(top)}" width="${num(barW)}" height="${num(h)}" fill="${color}"><title>${escapeXml(`${o.categories[ci]}, ${s.name}: ${formatTick(v)}`)}</title></rect>`,
      );
    });
  });
  o.categories.forEach((c, ci) => {
    const cx = f.left + ci * slot + slot / 2;
    body.push(text(cx, f.bottom + 12, c, `text-anchor="end" font-size="10" transform="rotate(-60 ${num(cx)} ${num(f.bottom + 12)})"`));
  });
  // Labels top to bottom, each at its line's height but at least a line of text below the one above.
  let lastLabelY = -Infinity;
  for (const r of [...lines].sort((a, b) => b.y - a.y)) {
    const color = r.color ?? '#444';
    body.push(`<line x1="${num(f.left)}" x2="${num(f.right)}" y1="${num(y(r.y))}" y2="${num(y(r.y))}" stroke="${color}" stroke-dasharray="6 4"/>`);
    lastLabelY = Math.max(y(r.y) + 4, lastLabelY + 13);
    body.push(text(f.right + 6, lastLabelY, r.label, `fill="${color}" font-size="11"`));
  }
  body.push(border(f), ...legend(f, entries, 'above'));
  return svgDocument(f.width, f.height, o.title, body);
}

function yDomainOf(o: BarChartOptions): [number, number] {
  if (o.yDomain) return o.yDomain;
  const values = o.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  return [Math.min(0, extent(values)[0]), Math.max(0, extent(values)[1])];
}
