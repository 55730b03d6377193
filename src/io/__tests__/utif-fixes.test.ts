/**
 * Each utif kernel that utif-fixes.ts replaces: the stock one (saved before the install) shown failing on a
 * crafted input, and the registered fix returning the right bytes or stopping cleanly on the same input.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { deflateSync } from 'node:zlib';
import UTIF from 'utif';
import { describe, expect, it } from 'vitest';
import { lzwEncode, packBitsEncode } from '../../../scripts/tiff-compress';
import { encodeTiff, type TiffPageSpec } from '../../../scripts/tiff-writer';
import { decodeTiff } from '../tiff';
import { fixedDecompress, stockKernels, type UtifIfd } from '../utif-fixes';

const kernels = UTIF.decode as unknown as { -readonly [K in keyof typeof stockKernels]: (typeof stockKernels)[K] };

/** MSB-first 9-bit LZW codes: CLEAR, 'A', 'B' and no end code, as a damaged or cut strip ends. */
function lzwWithoutEndCode(): Uint8Array {
  const codes = [256, 65, 66];
  const out = new Uint8Array(Math.ceil((codes.length * 9) / 8));
  codes.forEach((code, i) => {
    for (let b = 0; b < 9; b++) if ((code >> (8 - b)) & 1) out[(i * 9 + b) >> 3] |= 0x80 >> ((i * 9 + b) & 7);
  });
  return out;
}

/** Runs utif's stock LZW on `data` in a worker; 'finished', or 'timed out' `ms` after the worker started it. */
function runStockLzwInWorker(data: Uint8Array, ms: number): Promise<'finished' | 'timed out'> {
  const utifPath = createRequire(import.meta.url).resolve('utif');
  const code = `const { parentPort, workerData } = require('node:worker_threads');
    const UTIF = require(workerData.utifPath);
    parentPort.postMessage('started');
    UTIF.decode._decodeLZW(workerData.data, 0, new Uint8Array(1024), 0);
    parentPort.postMessage('finished');`;
  const worker = new Worker(code, { eval: true, workerData: { utifPath, data } });
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    worker.on('message', (m) => {
      if (m === 'started') timer = setTimeout(() => void worker.terminate().then(() => resolve('timed out')), ms);
      else (clearTimeout(timer), void worker.terminate(), resolve('finished'));
    });
    worker.on('error', (e) => (clearTimeout(timer), reject(e)));
  });
}

/** A utif IFD for a stripped 8-bit gray image of `width` x `height`, `rowsPerStrip` rows per strip. */
const grayIfd = (width: number, height: number, rowsPerStrip: number): UtifIfd => ({ t256: [width], t257: [height], t258: [8], t277: [1], t278: [rowsPerStrip], width, height, isLE: true });

describe('utif fixes are installed where tiff.ts is imported', () => {
  it('replaces the three kernels and keeps the stock ones apart', () => {
    expect(kernels._decompress).toBe(fixedDecompress);
    expect(kernels._decodeLZW).not.toBe(stockKernels._decodeLZW);
    expect(kernels._decodePackBits).not.toBe(stockKernels._decodePackBits);
    expect(stockKernels._decompress).not.toBe(fixedDecompress);
  });
});

describe('LZW without an end code', () => {
  it('stock utif does not finish within 2 s (and does finish once the end code is there)', async () => {
    expect(await runStockLzwInWorker(lzwWithoutEndCode(), 2000)).toBe('timed out');
    expect(await runStockLzwInWorker(lzwEncode(Uint8Array.from([65, 66])), 2000)).toBe('finished');
  }, 20_000);

  it('the fix returns the strip bytes and stops at the end of the input', () => {
    const out = new Uint8Array(8);
    expect(kernels._decodeLZW(lzwWithoutEndCode(), 0, out, 0)).toBe(2);
    expect(Array.from(out.subarray(0, 3))).toEqual([65, 66, 0]);
  });

  it('a valid LZW strip decodes the same with stock and fixed kernels', () => {
    const plain = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 251 & (i % 3 ? 255 : 15));
    const stock = new Uint8Array(plain.length);
    const fixed = new Uint8Array(plain.length);
    stockKernels._decodeLZW(lzwEncode(plain), 0, stock, 0);
    kernels._decodeLZW(lzwEncode(plain), 0, fixed, 0);
    expect(stock).toEqual(plain);
    expect(fixed).toEqual(plain);
  });
});

describe('Deflate without an output cap', () => {
  // One 16-byte strip (a 16x1 gray row) whose Deflate data inflates to 64 KiB, inside a 2-strip image buffer.
  const bomb = deflateSync(new Uint8Array(64 * 1024).fill(7));
  const run = (decompress: typeof fixedDecompress) => {
    const image = new Uint8Array(64 * 1024);
    decompress(grayIfd(16, 2, 1), [], bomb, 0, bomb.length, 8, image, 0, 1);
    return image;
  };

  it('stock utif inflates it all and writes it past the strip, over the rest of the image', () => {
    const image = run(stockKernels._decompress);
    expect(image.subarray(16).every((v) => v === 7)).toBe(true);
  });

  it('the fix writes exactly the strip', () => {
    const image = run(fixedDecompress);
    expect(image.subarray(0, 16).every((v) => v === 7)).toBe(true);
    expect(image.subarray(16).every((v) => v === 0)).toBe(true);
  });
});

describe('PackBits on views into larger buffers', () => {
  const plain = Uint8Array.from([1, 2, 3, 9, 9, 9, 9, 9, 4, 5]);
  const encoded = packBitsEncode(plain);
  // The strip sits at byte 100 of a file buffer, and is handed over as a view from there (offset 0).
  const file = new Uint8Array(100 + encoded.length);
  file.set(encoded, 100);
  const strip = file.subarray(100);

  it('stock utif reads from the start of the underlying buffer, not of the view', () => {
    const out = new Uint8Array(plain.length);
    stockKernels._decodePackBits(strip, 0, strip.length, out, 0);
    expect(out).not.toEqual(plain);
  });

  it('the fix decodes the view, and stops when the target is full', () => {
    const out = new Uint8Array(plain.length);
    expect(kernels._decodePackBits(strip, 0, strip.length, out, 0)).toBe(plain.length);
    expect(out).toEqual(plain);
    const short = new Uint8Array(32).subarray(0, 4);
    expect(kernels._decodePackBits(strip, 0, strip.length, short, 0)).toBe(4);
    expect(short.buffer.byteLength === 32 && new Uint8Array(short.buffer).subarray(4).every((v) => v === 0)).toBe(true);
  });
});

describe('utif geometry fixed by the _decompress wrapper, through decodeTiff', () => {
  const gray = (spec: Partial<TiffPageSpec>): TiffPageSpec => ({
    width: 40,
    height: 24,
    samplesPerPixel: 1,
    bits: 16,
    samples: Array.from({ length: 40 * 24 }, (_, i) => (i * 2654435761) % 60000),
    ...spec,
  });
  const pixels = (spec: Partial<TiffPageSpec>, littleEndian = true) => decodeTiff(encodeTiff([gray(spec)], { littleEndian }), 'x.tif').raster.data;

  it('16-bit big-endian tiles with a predictor (utif swaps and predicts with the image width, not the tile width)', () => {
    const reference = pixels({});
    expect(pixels({ tile: { width: 16, height: 16 }, compression: 'deflate', predictor: 2 }, false)).toEqual(reference);
    // Stock utif on the same file undoes the predictor along 40-sample rows of the 16-sample-wide tile.
    installStockAndRun(() => expect(pixels({ tile: { width: 16, height: 16 }, compression: 'deflate', predictor: 2 }, false)).not.toEqual(reference));
  });

  it('32-bit integer samples with a predictor (utif adds them byte by byte, without carries)', () => {
    const samples = Array.from({ length: 40 * 24 }, (_, i) => (i * 40503) % 3_000_000);
    // The test writer differences 16-bit words only: write the 32-bit differences here and tag predictor 2.
    const differenced = samples.map((v, i) => (i % 40 === 0 ? v : (v - samples[i - 1]) >>> 0));
    const predicted = { bits: 32 as const, samples: differenced, override: { 317: [3, [2]] as [number, number[]] } };
    const reference = pixels({ bits: 32, samples });
    expect(pixels({ ...predicted, compression: 'lzw' })).toEqual(reference);
    expect(pixels(predicted, false)).toEqual(reference);
    installStockAndRun(() => expect(pixels(predicted)).not.toEqual(reference));
  });
});

/** Runs `body` with utif's stock _decompress installed, then restores the fix. */
function installStockAndRun(body: () => void) {
  kernels._decompress = stockKernels._decompress;
  try {
    body();
  } finally {
    kernels._decompress = fixedDecompress;
  }
}
