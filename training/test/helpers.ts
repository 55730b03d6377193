/** Paths and data helpers for training tests: resolved from this file, never from /work. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';

export const REPO = resolve(new URL('../../', import.meta.url).pathname);
export const SHARED_LGG = resolve(REPO, '../shared/data/lgg');
export const FIXTURES = join(SHARED_LGG, 'fixtures');

/** Two patients used across tests: small ones with both tumor and no-tumor slices. */
export const TWO_PATIENTS = ['TCGA_CS_4941_19960909', 'TCGA_CS_4942_19970222'];

/** Unpacks patients (verified by checksum) into a fresh temp dir; returns the kaggle_3m folder. */
export function unpackPatients(patients: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgg-train-'));
  execFileSync('bash', [join(SHARED_LGG, 'unpack.sh'), dir, ...patients], { stdio: 'pipe' });
  return join(dir, 'kaggle_3m');
}

/**
 * Which overlay a drawn pixel shows (src/core/overlay.ts): green the outline alone, red the truth alone, yellow both,
 * bright or in the truth edge's dark shade; null for the slice itself, which the view shows in gray (r = g = b).
 */
export function overlayColour(r: number, g: number, b: number): 'green' | 'red' | 'yellow' | null {
  if (g - r > 50 && g - b > 50) return 'green';
  if (r - g > 50 && r - b > 50) return 'red';
  if (r - b > 50 && g - b > 50) return 'yellow';
  return null;
}

/** An 8-bit PNG as the evaluation writes it (one IDAT stream, filter 0 on every row). */
export function readPng(file: string): { width: number; height: number; channels: number; pixels: Uint8Array } {
  const bytes = readFileSync(file);
  const idat: Buffer[] = [];
  let width = 0, height = 0, channels = 0;
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') [width, height, channels] = [data.readUInt32BE(0), data.readUInt32BE(4), ({ 2: 3, 6: 4 } as Record<number, number>)[data[9]]];
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    if (raw[y * (stride + 1)] !== 0) throw new Error(`${file}: row ${y} is filtered; only filter 0 is read here`);
    pixels.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, channels, pixels };
}
