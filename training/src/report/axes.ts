/** The plot frame shared by the charts: title, plot area, numeric y axis with grid, numeric or categorical x axis. */
import { formatTick, niceTicks, num, scale, text } from './svg';

export interface Frame {
  width: number;
  height: number;
  /** Plot area in pixels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function frame(width: number, height: number, margin = { left: 64, right: 24, top: 40, bottom: 52 }): Frame {
  return { width, height, left: margin.left, right: width - margin.right, top: margin.top, bottom: height - margin.bottom };
}

export function titleAndLabels(f: Frame, title: string, xLabel: string, yLabel: string): string[] {
  const midX = (f.left + f.right) / 2;
  const midY = (f.top + f.bottom) / 2;
  return [
    text(f.width / 2, 22, title, 'text-anchor="middle" font-size="15" font-weight="bold"'),
    text(midX, f.height - 10, xLabel, 'text-anchor="middle" font-size="13"'),
    text(16, midY, yLabel, `text-anchor="middle" font-size="13" transform="rotate(-90 16 ${num(midY)})"`),
  ];
}

/** Horizontal grid lines and tick labels for a numeric y axis. */
export function yAxis(f: Frame, domain: [number, number], ticks = niceTicks(domain[0], domain[1])): { y: (v: number) => number; parts: string[] } {
  const y = scale(domain, [f.bottom, f.top]);
  const parts: string[] = [];
  for (const t of ticks) {
    if (t < domain[0] - 1e-12 || t > domain[1] + 1e-12) continue;
    parts.push(`<line x1="${num(f.left)}" x2="${num(f.right)}" y1="${num(y(t))}" y2="${num(y(t))}" stroke="#e5e5e5"/>`);
    parts.push(text(f.left - 6, y(t) + 4, formatTick(t), 'text-anchor="end" fill="#333"'));
  }
  return { y, parts };
}

/** Vertical grid lines and tick labels for a numeric x axis. */
export function xAxis(f: Frame, domain: [number, number], ticks = niceTicks(domain[0], domain[1])): { x: (v: number) => number; parts: string[] } {
  const x = scale(domain, [f.left, f.right]);
  const parts: string[] = [];
  for (const t of ticks) {
    if (t < domain[0] - 1e-12 || t > domain[1] + 1e-12) continue;
    parts.push(`<line x1="${num(x(t))}" x2="${num(x(t))}" y1="${num(f.top)}" y2="${num(f.bottom)}" stroke="#f0f0f0"/>`);
    parts.push(text(x(t), f.bottom + 16, formatTick(t), 'text-anchor="middle" fill="#333"'));
  }
  return { x, parts };
}

export function border(f: Frame): string {
  return `<rect x="${num(f.left)}" y="${num(f.top)}" width="${num(f.right - f.left)}" height="${num(f.bottom - f.top)}" fill="none" stroke="#333"/>`;
}

/** A legend box in the plot's top-right or bottom-right corner, or above the plot: colored swatch + name per entry. */
export type LegendCorner = 'top' | 'bottom' | 'above';
type LegendEntry = { name: string; color: string; dashed?: boolean };
const LEGEND_ROW = 16;

/** Where the legend's box goes: the right edge, at the top or bottom of the plot, or above it. */
export function legendBox(f: Frame, entries: LegendEntry[], corner: LegendCorner = 'top'): { x0: number; y0: number; w: number; h: number } {
  const w = Math.min(260, 36 + 7 * Math.max(0, ...entries.map((e) => e.name.length)));
  const h = entries.length * LEGEND_ROW + 8;
  const x0 = f.right - w - 8;
  const y0 = corner === 'top' ? f.top + 8 : corner === 'above' ? f.top - h - 4 : f.bottom - h - 8;
  return { x0, y0, w, h };
}

export function legend(f: Frame, entries: LegendEntry[], corner: LegendCorner = 'top'): string[] {
  if (entries.length === 0) return [];
  const rowH = LEGEND_ROW;
  const { x0, y0, w, h } = legendBox(f, entries, corner);
  const parts = [`<rect x="${num(x0)}" y="${num(y0)}" width="${num(w)}" height="${num(h)}" fill="#ffffff" fill-opacity="0.85" stroke="#bbb"/>`];
  entries.forEach((e, i) => {
    const cy = y0 + 4 + rowH * i + rowH / 2;
    const dash = e.dashed ? ' stroke-dasharray="5 3"' : '';
    parts.push(`<line x1="${num(x0 + 6)}" x2="${num(x0 + 26)}" y1="${num(cy)}" y2="${num(cy)}" stroke="${e.color}" stroke-width="2.5"${dash}/>`);
    parts.push(text(x0 + 31, cy + 4, e.name));
  });
  return parts;
}
