/**
 * Draws the app icons (a stylised MRI slice with a green tumor overlay on the theme color) into public/icons/.
 *   npx tsx scripts/make-icons.ts
 * "any" icons have rounded corners on transparency; "maskable" ones are full-bleed with the drawing inside
 * the central 80% safe zone, as the web app manifest spec asks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png-writer';

export const THEME_COLOR = '#1f3a5f';
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const BACKGROUND = rgb(THEME_COLOR);
const SKULL = rgb('#d9e2ec');
const BRAIN = rgb('#6b7f99');
const TUMOR = rgb('#2ecc71');

type Rgba = [number, number, number, number];

/** Color of the point (x, y) in the unit square. */
function shade(x: number, y: number, maskable: boolean): Rgba {
  const s = maskable ? 0.8 : 1; // shrink the drawing into the safe zone
  const u = (x - 0.5) / s + 0.5;
  const v = (y - 0.5) / s + 0.5;
  const inEllipse = (cx: number, cy: number, rx: number, ry: number) => ((u - cx) / rx) ** 2 + ((v - cy) / ry) ** 2 <= 1;
  if (!maskable) {
    const r = 0.18; // rounded corners
    const dx = Math.max(r - x, x - (1 - r), 0);
    const dy = Math.max(r - y, y - (1 - r), 0);
    if (dx * dx + dy * dy > r * r) return [0, 0, 0, 0];
  }
  if (inEllipse(0.6, 0.42, 0.085, 0.075)) return [...TUMOR, 255] as Rgba;
  if (inEllipse(0.5, 0.52, 0.25, 0.31)) return [...BRAIN, 255] as Rgba;
  if (inEllipse(0.5, 0.52, 0.3, 0.36)) return [...SKULL, 255] as Rgba;
  return [...BACKGROUND, 255] as Rgba;
}

export function drawIcon(size: number, maskable: boolean): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const n = 4; // 4x4 supersampling for smooth edges
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++) {
          const [r, g, b, a] = shade((x + (i + 0.5) / n) / size, (y + (j + 0.5) / n) / size, maskable);
          acc[0] += r * a;
          acc[1] += g * a;
          acc[2] += b * a;
          acc[3] += a;
        }
      const o = (y * size + x) * 4;
      const alpha = acc[3] / (n * n);
      for (let c = 0; c < 3; c++) out[o + c] = acc[3] ? Math.round(acc[c] / acc[3]) : 0;
      out[o + 3] = Math.round(alpha);
    }
  return out;
}

export const ICONS = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-192.png', size: 192, maskable: true },
  { file: 'maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon-180.png', size: 180, maskable: true },
];

if (process.argv[1] && resolve(process.argv[1]).endsWith('make-icons.ts')) {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../public/icons');
  mkdirSync(dir, { recursive: true });
  for (const icon of ICONS) writeFileSync(join(dir, icon.file), encodePng(icon.size, icon.size, drawIcon(icon.size, icon.maskable), 4));
  console.log(`${ICONS.length} icons written to ${dir}`);
}
