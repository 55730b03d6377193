/**
 * The saved view as a figure: the slice as drawn (enlarged to at least 512 px wide, crisp pixels) over a caption band
 * with the file, the answer, the threshold and the colour legend, and the same facts as PNG text.
 */
import { DASH_GAP_SHADE } from '../core/overlay';
import { addPngText } from '../io/png-text';
import type { ViewCaption } from './view-caption';

const MIN_WIDTH = 512;
const PAD = 10;
const FONT_PX = 13;
const LINE = 18;
const SWATCH = 12;
const COLORS = { band: '#10151c', text: '#e6edf3', muted: '#9aa7b4' };

/** Words of `text` packed into lines no wider than `width` as `ctx` measures them. */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > width) out.push(line), (line = word);
    else line = next;
  }
  return line ? [...out, line] : out;
}

/** Legend items (swatch + label) laid out left to right, onto new rows when a row is full: [row, x] per item. */
function legendLayout(ctx: CanvasRenderingContext2D, legend: ViewCaption['legend'], width: number): { row: number; x: number }[] {
  let row = 0;
  let x = 0;
  return legend.map((item) => {
    const w = SWATCH + 6 + Math.ceil(ctx.measureText(item.label).width) + 16; // whole pixels: crisp swatches
    if (x > 0 && x + w > width) (row += 1), (x = 0);
    const at = { row, x };
    x += w;
    return at;
  });
}

export async function viewFigurePng(view: HTMLCanvasElement, caption: ViewCaption): Promise<Uint8Array> {
  const scale = Math.max(1, Math.ceil(MIN_WIDTH / view.width));
  const width = view.width * scale;
  const textWidth = width - 2 * PAD;
  const figure = document.createElement('canvas');
  const ctx = figure.getContext('2d')!;
  const font = `${FONT_PX}px system-ui, sans-serif`;
  ctx.font = font;
  const [head, answer, scores, footer] = caption.lines;
  const blocks = [head, answer].map((l) => wrap(ctx, l, textWidth));
  const legend = legendLayout(ctx, caption.legend, textWidth);
  const legendRows = legend.length ? legend[legend.length - 1].row + 1 : 0;
  const tail = [scores, footer].map((l) => wrap(ctx, l, textWidth));
  const lineCount = blocks.flat().length + legendRows + tail.flat().length;

  figure.width = width;
  figure.height = view.height * scale + PAD * 2 + lineCount * LINE;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(view, 0, 0, width, view.height * scale);
  ctx.fillStyle = COLORS.band;
  ctx.fillRect(0, view.height * scale, width, figure.height - view.height * scale);
  ctx.font = font;
  ctx.textBaseline = 'middle';
  let y = view.height * scale + PAD + LINE / 2;
  const text = (line: string, color: string) => {
    ctx.fillStyle = color;
    ctx.fillText(line, PAD, y);
    y += LINE;
  };
  blocks.flat().forEach((l) => text(l, COLORS.text));
  caption.legend.forEach((item, i) => {
    const { row, x } = legend[i];
    const rowY = y + row * LINE;
    const color = `rgb(${item.color.join(',')})`;
    if (item.colorName === 'red') {
      // The truth as the view draws it: a dashed outline (and a light fill), told apart from the prediction without colour.
      ctx.globalAlpha = 0.35;
      ctx.fillStyle = color;
      ctx.fillRect(PAD + x, rowY - SWATCH / 2, SWATCH, SWATCH);
      ctx.globalAlpha = 1;
      ctx.lineWidth = 2;
      ctx.strokeStyle = `rgb(${item.color.map((c) => Math.round(c * DASH_GAP_SHADE)).join(',')})`; // the gaps' dark shade
      ctx.strokeRect(PAD + x + 1, rowY - SWATCH / 2 + 1, SWATCH - 2, SWATCH - 2);
      ctx.strokeStyle = color;
      ctx.setLineDash([3, 2]);
      ctx.strokeRect(PAD + x + 1, rowY - SWATCH / 2 + 1, SWATCH - 2, SWATCH - 2);
      ctx.setLineDash([]);
    } else {
      ctx.fillStyle = color;
      ctx.fillRect(PAD + x, rowY - SWATCH / 2, SWATCH, SWATCH);
    }
    ctx.fillStyle = COLORS.text;
    ctx.fillText(item.label, PAD + x + SWATCH + 6, rowY);
  });
  y += legendRows * LINE;
  tail[0].forEach((l) => text(l, COLORS.text));
  tail[1].forEach((l) => text(l, COLORS.muted));

  const blob = await new Promise<Blob | null>((resolve) => figure.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the view as PNG');
  return addPngText(new Uint8Array(await blob.arrayBuffer()), caption.metadata);
}
