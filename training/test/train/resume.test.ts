import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelName } from '../../../src/core/card';
import { chooseBackend } from '../../src/backend/ladder';
import { indexDataset } from '../../src/data/index';
import { loadSlices, type SliceSet } from '../../src/data/load';
import { checkpointDir } from '../../src/train/checkpoint';
import type { ProgressBar, ProgressStats } from '../../src/train/progress';
import { train } from '../../src/train/trainer';
import { FIXTURES } from '../helpers';

let set: SliceSet;
beforeAll(async () => {
  await chooseBackend('cpu', () => {}); // deterministic single-threaded kernels, with the gradient fixes
  set = loadSlices(indexDataset(FIXTURES), 32);
});

const quiet = { log: () => {}, progress: null };

async function weightsOf(model: tf.LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
}

/** Trains 2 epochs straight, and 1 epoch + "kill" + --resume for the second; returns both. */
async function straightAndResumed(name: ModelName) {
  const common = { model: name, train: set, val: set, epochs: 2, batchSize: 3, seed: 11, inputSize: 32, augment: true, ...quiet };
  const dirA = mkdtempSync(join(tmpdir(), 'lgg-resume-a-'));
  const dirB = mkdtempSync(join(tmpdir(), 'lgg-resume-b-'));
  const a = await train({ ...common, runDir: dirA });
  const b1 = await train({ ...common, runDir: dirB, stopAfter: 1 });
  expect(b1.finished).toBe(false);
  b1.model.dispose();
  const b = await train({ ...common, runDir: dirB, resume: true });
  return { a, b, dirA, dirB };
}

describe('--resume continues a killed run to the same result as an uninterrupted one', () => {
  for (const name of ['classifier', 'segmenter'] as const) {
    it(`${name}: identical weights (BN statistics and dropout included), history and best epoch`, async () => {
      const { a, b, dirA, dirB } = await straightAndResumed(name);
      expect(b.finished).toBe(true);
      const wa = await weightsOf(a.model);
      const wb = await weightsOf(b.model);
      expect(wb.length).toBe(wa.length);
      wa.forEach((w, i) => expect(Array.from(wb[i])).toEqual(Array.from(w)));
      const strip = (h: typeof a.state.history) => h.map(({ seconds: _s, imagesPerSecond: _r, ...rest }) => rest);
      expect(strip(b.state.history)).toEqual(strip(a.state.history));
      expect(b.state.bestEpoch).toBe(a.state.bestEpoch);
      // The training really moved the weights (the test would pass trivially otherwise).
      expect(a.state.history[0].loss).not.toBe(a.state.history[1].loss);
      expect(readFileSync(join(dirB, 'best', 'model.json'), 'utf8')).toBe(readFileSync(join(dirA, 'best', 'model.json'), 'utf8'));
      const shards = readdirSync(join(dirA, 'best')).filter((f) => f.endsWith('.bin'));
      expect(shards.length).toBeGreaterThan(0);
      for (const f of shards) expect(readFileSync(join(dirB, 'best', f)).equals(readFileSync(join(dirA, 'best', f)))).toBe(true);
      a.model.dispose();
      b.model.dispose();
    }, 300_000); // ~80 s measured on this 2-core machine at load ~17; the limit leaves room
  }
});

describe('the run ETA of a resumed run', () => {
  it("is timed on this machine: epochs from before the resume (here made to take 11 days) do not count", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgg-resume-eta-'));
    const common = { model: 'classifier' as const, train: set, val: set, epochs: 3, batchSize: 3, seed: 11, inputSize: 32, augment: false, runDir: dir, ...quiet };
    const first = await train({ ...common, stopAfter: 1 });
    first.model.dispose();
    const stateFile = join(checkpointDir(dir)!, 'state.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    state.history[0].seconds = 1e6;
    writeFileSync(stateFile, JSON.stringify(state));
    const seen: ProgressStats[] = [];
    const progress = { update: (p: ProgressStats) => seen.push(p), finish() {}, validating() {}, validated() {} } as unknown as ProgressBar;
    const resumed = await train({ ...common, resume: true, progress });
    resumed.model.dispose();
    expect(seen.map((p) => p.epoch)).toContain(2);
    expect(seen.map((p) => p.epoch)).toContain(3);
    for (const p of seen) expect(p.runEtaSeconds).toBeLessThan(1e4);
  }, 300_000);
});
