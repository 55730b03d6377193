/**
 * bench:train smoke (what CI runs): one real training step per model on threaded wasm with our kernels at
 * 64x64, writing the JSON the full benchmark writes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const training = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

it('bench:train --smoke trains both models a step and reports images/s and memory', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-smoke-')), 'bench.json');
  const log = execFileSync('npx', ['tsx', 'src/cli/bench-train.ts', '--smoke', '--backend', 'wasm', '--out', out], { cwd: training, encoding: 'utf8', timeout: 240_000 });
  expect(log).toMatch(/\| classifier \| wasm \|/);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  expect(report.results.map((r: { model: string }) => r.model)).toEqual(['classifier', 'segmenter']);
  for (const r of report.results) {
    expect(r.imagesPerSecond).toBeGreaterThan(0);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(r.wasmHeapMiB).toBeGreaterThan(0);
    expect(r.peakRssMiB).toBeGreaterThan(0);
  }
}, 300_000);
