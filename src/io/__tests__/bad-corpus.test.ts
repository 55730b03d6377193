/**
 * Runs the TIFF decoder over the whole bad-input corpus (scripts/make-bad-corpus.ts): every file gets its
 * expected outcome, every refusal is an InputError naming the file and the problem, nothing throws anything
 * else, nothing takes long, and memory stays bounded.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus, type ManifestEntry } from '../../../scripts/make-bad-corpus';
import { InputError } from '../errors';
import { checkMaskMatchesImage, rasterToMask, rasterToSlice } from '../raster';
import { decodeTiff } from '../tiff';

const dir = mkdtempSync(join(tmpdir(), 'bad-corpus-'));
let manifest: ManifestEntry[] = [];
beforeAll(() => {
  manifest = writeCorpus(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the app does with a dropped file: decode, check a mask against its slice, convert, collect notes. */
function open(entry: ManifestEntry) {
  const bytes = new Uint8Array(readFileSync(join(dir, entry.file)));
  const { raster, notes } = decodeTiff(bytes, entry.file);
  if (entry.role === 'mask') {
    const image = decodeTiff(new Uint8Array(readFileSync(join(dir, entry.pairedWith!))), entry.pairedWith!).raster;
    checkMaskMatchesImage(raster, image, entry.file);
    const mask = rasterToMask(raster);
    return { raster, notes: [...notes, ...mask.notes], pixels: mask.value.data };
  }
  const slice = rasterToSlice(raster);
  return { raster, notes: [...notes, ...slice.notes], pixels: slice.value.data };
}

describe('bad-input corpus', () => {
  it('has at least 30 cases, refusals and decodes both', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(30);
    expect(manifest.filter((m) => m.expect.outcome === 'refused').length).toBeGreaterThanOrEqual(15);
    expect(manifest.some((m) => m.bytes >= 50 * 1000 * 1000)).toBe(true);
  });

  // No wall-clock limit per file (speed belongs to the benchmarks): a decoder that hangs meets vitest's test timeout.
  it('gives every file its expected outcome, within bounded memory', () => {
    const decodedPixels = new Map<string, Uint8Array>();
    decodedPixels.set('fixture', open(manifest.find((m) => m.file === 'reference.tif')!).pixels);
    const failures: string[] = [];
    const rssStart = process.memoryUsage().rss;
    let rssPeak = rssStart;
    for (const entry of manifest) {
      let result: ReturnType<typeof open> | undefined;
      let error: unknown;
      try {
        result = open(entry);
      } catch (e) {
        error = e;
      }
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      const fail = (why: string) => failures.push(`${entry.file}: ${why}`);
      const want = entry.expect;
      if (want.outcome === 'refused') {
        if (!(error instanceof InputError)) {
          fail(error ? `threw ${String(error)} instead of an InputError` : 'was decoded but should be refused');
          continue;
        }
        const messages = Array.isArray(want.message) ? want.message : [want.message];
        if (!error.message.startsWith(`${entry.file}: `)) fail(`message does not name the file: ${error.message}`);
        if (!messages.some((m) => error.message.includes(m))) fail(`message "${error.message}" contains none of ${JSON.stringify(messages)}`);
        continue;
      }
      if (!result) {
        fail(`refused: ${String(error)}`);
        continue;
      }
      decodedPixels.set(entry.file, result.pixels);
      if (result.raster.width !== want.width || result.raster.height !== want.height) fail(`decoded as ${result.raster.width}x${result.raster.height}`);
      for (const note of want.notes ?? []) if (!result.notes.some((n) => n.includes(note))) fail(`no note containing "${note}" in ${JSON.stringify(result.notes)}`);
      if (want.noNotes && result.notes.length) fail(`unexpected notes ${JSON.stringify(result.notes)}`);
      if (want.samePixelsAs) {
        const reference = decodedPixels.get(want.samePixelsAs);
        if (!reference) fail(`reference ${want.samePixelsAs} not decoded before it`);
        else if (!Buffer.from(reference).equals(Buffer.from(result.pixels))) fail(`pixels differ from ${want.samePixelsAs}`);
      }
    }
    expect(failures).toEqual([]);
    // The 50 MB file alone needs ~100 MB (bytes + raster); nothing declared-huge may get allocated.
    expect((rssPeak - rssStart) / 1024 / 1024).toBeLessThan(600);
  });

  it('a mask of the right size keeps the fixture mask pixels (RGB mask too)', () => {
    const gray = open(manifest.find((m) => m.file.startsWith('TCGA_'))!).pixels;
    const rgb = open(manifest.find((m) => m.file === 'mask-rgb_mask.tif')!).pixels;
    expect(gray.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expect(Buffer.from(rgb).equals(Buffer.from(gray))).toBe(true);
  });
});
