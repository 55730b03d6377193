/** A 2x2 confusion matrix image in sklearn's layout: rows = true class, columns = predicted class, no tumor first. */
import { num, svgDocument, text } from './svg';

export interface ConfusionMatrixOptions {
  title: string;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** Class names, negative first. */
  labels?: [string, string];
  size?: number;
}

/** White to dark blue, like matplotlib's "Blues". */
function blue(fraction: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const lerp = (a: number, b: number) => Math.round(a + (b - a) * f);
  return `rgb(${lerp(247, 8)},${lerp(251, 48)},${lerp(255, 107)})`;
}

export function confusionMatrixSvg(o: ConfusionMatrixOptions): string {
  const labels = o.labels ?? ['no tumor', 'tumor'];
  const cell = o.size ?? 130;
  const left = 120;
  const top = 70;
  const width = left + 2 * cell + 30;
  const height = top + 2 * cell + 60;
  const rows = [
    [o.tn, o.fp],
    [o.fn, o.tp],
  ];
  const names = [
    ['TN', 'FP'],
    ['FN', 'TP'],
  ];
  const max = Math.max(1, o.tp, o.fp, o.tn, o.fn);
  const body: string[] = [text(width / 2, 24, o.title, 'text-anchor="middle" font-size="15" font-weight="bold"')];
  for (let r = 0; r < 2; r++) {
    const rowTotal = rows[r][0] + rows[r][1];
    for (let c = 0; c < 2; c++) {
      const v = rows[r][c];
      const x = left + c * cell;
      const y = top + r * cell;
      const dark = v / max > 0.55;
      const ink = dark ? '#ffffff' : '#111111';
      const share = rowTotal ? `${((100 * v) / rowTotal).toFixed(1)}% of row` : '-';
      body.push(`<rect x="${num(x)}" y="${num(y)}" width="${cell}" height="${cell}" fill="${blue(v / max)}" stroke="#555"/>`);
      body.push(text(x + cell / 2, y + cell / 2 - 4, String(v), `text-anchor="middle" font-size="24" font-weight="bold" fill="${ink}"`));
      body.push(text(x + cell / 2, y + cell / 2 + 18, `${names[r][c]}, ${share}`, `text-anchor="middle" font-size="11" fill="${ink}"`));
    }
    body.push(text(left - 8, top + r * cell + cell / 2 + 4, labels[r], 'text-anchor="end" font-size="13"'));
  }
  for (let c = 0; c < 2; c++) body.push(text(left + c * cell + cell / 2, top + 2 * cell + 20, labels[c], 'text-anchor="middle" font-size="13"'));
  body.push(text(left + cell, top + 2 * cell + 44, 'Predicted class', 'text-anchor="middle" font-size="13"'));
  const midY = top + cell;
  body.push(text(18, midY, 'True class', `text-anchor="middle" font-size="13" transform="rotate(-90 18 ${num(midY)})"`));
  return svgDocument(width, height, o.title, body);
}
