// The models' download in bytes: the total known from model.json before any shard arrives, and every byte counted.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MODEL_FOLDERS } from '../core/model-files';
import { downloadMeter, modelBytes, REPORT_EVERY_MS, weightsBytes } from './download-size';
import { fetchModel } from './models';
import type { LoadProgress } from './types';

const MODELS = path.resolve(__dirname, '../../public/models');
const folderOf = (key: keyof typeof MODEL_FOLDERS) => path.join(MODELS, MODEL_FOLDERS[key]);
const modelJsonOf = (key: keyof typeof MODEL_FOLDERS) => JSON.parse(fs.readFileSync(path.join(folderOf(key), 'model.json'), 'utf8'));
/** What a browser downloads for a model: its model.json and its weight shards, as files on disk. */
const filesBytes = (key: keyof typeof MODEL_FOLDERS) =>
  ['model.json', ...modelJsonOf(key).weightsManifest.flatMap((g: { paths: string[] }) => g.paths)].reduce((sum: number, f: string) => sum + fs.statSync(path.join(folderOf(key), f)).size, 0);
const encode = (json: unknown) => new TextEncoder().encode(JSON.stringify(json)).buffer as ArrayBuffer;

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('weightsBytes', () => {
  it('counts each weight as shape × bytes per value, a quantized one in its quantization dtype', () => {
    const manifest = [
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'conv/kernel', shape: [3, 3, 3, 8], dtype: 'float32' as const }, // 216 × 4
          { name: 'conv/bias', shape: [8], dtype: 'float32' as const, quantization: { dtype: 'uint8' as const, min: -1, scale: 0.01 } }, // 8 × 1
          { name: 'dense/kernel', shape: [10, 2], dtype: 'float32' as const, quantization: { dtype: 'float16' as const } }, // 20 × 2
          { name: 'step', shape: [], dtype: 'int32' as const }, // a scalar: 1 × 4
        ],
      },
    ];
    expect(weightsBytes(manifest)).toBe(216 * 4 + 8 + 20 * 2 + 4);
  });

  it('cannot say for a string weight (its length is in the file only)', () => {
    expect(weightsBytes([{ paths: ['a.bin'], weights: [{ name: 'vocab', shape: [3], dtype: 'string' }] }])).toBeNull();
  });

  // The classifier mixes float32 and uint8 weights, the segmenter is float16 and the second segmenter uint8.
  for (const key of Object.keys(MODEL_FOLDERS) as (keyof typeof MODEL_FOLDERS)[])
    it(`gives the shipped ${key}'s shards their size on disk`, () => {
      const { weightsManifest } = modelJsonOf(key);
      expect(weightsBytes(weightsManifest)).toBe(filesBytes(key) - fs.statSync(path.join(folderOf(key), 'model.json')).size);
    });
});

describe('modelBytes', () => {
  it("is model.json's own bytes and its weights'", () => {
    const json = encode({ modelTopology: {}, weightsManifest: [{ paths: ['a.bin'], weights: [{ name: 'w', shape: [5], dtype: 'float32' }] }] });
    expect(modelBytes(json)).toBe(json.byteLength + 20);
  });

  it('is null for a file that is no model.json (tfjs says what is wrong with it)', () => {
    expect(modelBytes(new TextEncoder().encode('<html>').buffer as ArrayBuffer)).toBeNull();
  });
});

describe('downloadMeter', () => {
  it('reports at most every REPORT_EVERY_MS while bytes arrive, and always when a file is complete', () => {
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const reports: LoadProgress[] = [];
    const meter = downloadMeter('segmenter', (p) => reports.push(p));
    const json = encode({ weightsManifest: [{ paths: ['a.bin'], weights: [{ name: 'w', shape: [100], dtype: 'float32' }] }] });
    meter.received(json.byteLength);
    meter.fileDone(json);
    const total = json.byteLength + 400;
    meter.received(100); // too soon after the last report
    now += REPORT_EVERY_MS;
    meter.received(100);
    meter.received(100);
    meter.received(100);
    meter.fileDone();
    expect(reports).toEqual([
      { model: 'segmenter', receivedBytes: json.byteLength, totalBytes: null },
      { model: 'segmenter', receivedBytes: json.byteLength, totalBytes: total },
      { model: 'segmenter', receivedBytes: json.byteLength + 200, totalBytes: total },
      { model: 'segmenter', receivedBytes: total, totalBytes: total },
    ]);
  });
});

describe('fetchModel', () => {
  it('reports the shipped second segmenter (uint8) in bytes: its total from model.json on, and every byte by the end', async () => {
    const folder = folderOf('segmenter2');
    const PIECE = 64 * 1024;
    // The files from disk, each body in 64 KiB pieces, as a network delivers them.
    vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
      const file = path.join(folder, path.basename(new URL(String(input)).pathname));
      if (!fs.existsSync(file)) return new Response('gone', { status: 404 });
      const bytes = fs.readFileSync(file);
      let at = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) return controller.close();
          controller.enqueue(new Uint8Array(bytes.subarray(at, at + PIECE)));
          at += PIECE;
        },
      });
      return new Response(body, { status: 200 });
    });
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (now += REPORT_EVERY_MS)); // every piece may report
    const reports: LoadProgress[] = [];
    const fetched = await fetchModel('segmenter2', 'http://app.test/models/segmenter-2/model.json', (p) => reports.push(p));
    expect(fetched.card?.trained).toBe(true);

    const total = filesBytes('segmenter2');
    const jsonBytes = fs.statSync(path.join(folder, 'model.json')).size;
    expect(reports.every((r) => r.model === 'segmenter2')).toBe(true);
    // Known as soon as model.json is in, before any shard's byte.
    const firstTotal = reports.findIndex((r) => r.totalBytes !== null);
    expect(reports[firstTotal]).toEqual({ model: 'segmenter2', receivedBytes: jsonBytes, totalBytes: total });
    expect(reports.slice(firstTotal).every((r) => r.totalBytes === total)).toBe(true);
    // In steps of pieces, not of files: the shard's 1.2 MB show on the way.
    const during = reports.filter((r) => r.receivedBytes > jsonBytes && r.receivedBytes < total);
    expect(during.length).toBeGreaterThan(10);
    const received = reports.map((r) => r.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(reports.at(-1)).toEqual({ model: 'segmenter2', receivedBytes: total, totalBytes: total });
  });
});
