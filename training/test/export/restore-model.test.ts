import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from '../../../src/core/card';
import { chooseBackend } from '../../src/backend/ladder';
import { baseCard } from '../../src/export/card';
import { exportModel, readCard } from '../../src/export/export-model';
import { loadModelFromDir, shardsDigest } from '../../src/export/model-files';
import { restoreModel } from '../../src/export/restore-model';
import { buildModel } from '../../src/models';

beforeAll(async () => {
  await chooseBackend('cpu', () => {});
});

/** A trained-looking float16 export of a small ResUNet in `<root>/segmenter-2`, as the app ships its second segmenter. */
async function float16Export(): Promise<{ root: string; dir: string; model: tf.LayersModel }> {
  const root = mkdtempSync(join(tmpdir(), 'lgg-restore-'));
  const model = buildModel('segmenter', 32);
  const metrics = { test: { patients: ['p'], slices: 1 } } as unknown as ModelCard['metrics'];
  const card = { ...baseCard('segmenter', model, { dtype: 'float32', bytes: 0 }), trained: true, metrics };
  const { dir } = await exportModel({ root, name: 'segmenter', folder: 'segmenter-2', model, card, dtype: 'float16' });
  return { root, dir, model };
}

describe('export --from-model: an exported model stored again in another form', () => {
  it('keeps the card and folder, stores the large kernels uint8 and the rest float16, and loads to nearly the same weights', async () => {
    const { root, dir, model } = await float16Export();
    const before = readCard(dir)!;
    await expect(restoreModel({ from: dir, root, dtype: 'mixed', uint8MinElements: 10_000 })).rejects.toThrow(/already exported.*--force/);
    const { dir: out, card } = await restoreModel({ from: dir, root, dtype: 'mixed', uint8MinElements: 10_000, force: true });
    expect(out).toBe(dir); // the folder name `segmenter-2` is kept, not replaced by the card's model name
    expect(card).toMatchObject({ name: 'segmenter', trained: true, params: before.params, weights: { dtype: 'mixed', uint8MinElements: 10_000, restoredFrom: 'float16' } });
    expect(card.weights.bytes).toBeLessThan(before.weights.bytes);
    // Each card names the digest of the shards written with it (the app refuses weights that do not match it).
    expect(card.weights.sha256).toBe(shardsDigest(dir).sha256);
    expect(readCard(dir)!.weights.sha256).toBe(card.weights.sha256);
    expect(before.weights.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(before.weights.sha256).not.toBe(card.weights.sha256);
    expect(before.metrics).toBeDefined();
    expect(card.metrics).toBeUndefined(); // measured on the float16 bytes, not these
    const specs = (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON).weightsManifest[0].weights;
    for (const s of specs) expect(s.quantization?.dtype).toBe(s.shape.reduce((a, b) => a * b, 1) >= 10_000 ? 'uint8' : 'float16');
    expect(specs.some((s) => s.quantization?.dtype === 'uint8')).toBe(true);

    const restored = await loadModelFromDir(dir);
    const original = model.getWeights();
    restored.getWeights().forEach((w, i) => {
      const a = original[i].dataSync() as Float32Array;
      const b = w.dataSync() as Float32Array;
      const range = a.reduce((m, v) => Math.max(m, v), 0) - a.reduce((m, v) => Math.min(m, v), 0) || 1;
      // float16 rounding, or half an 8-bit step of the tensor's range (plus the float16 it was read from)
      for (let j = 0; j < a.length; j++) expect(Math.abs(a[j] - b[j])).toBeLessThanOrEqual(range / 255 / 2 + Math.abs(a[j]) * 2 ** -10 + 1e-6);
    });
    restored.dispose();
    model.dispose();
  });

  it('says what is wrong with a folder that is not an export', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lgg-restore-'));
    await expect(restoreModel({ from: root, root, dtype: 'mixed' })).rejects.toThrow(/no card\.json/);
  });
});
