import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBatch } from '../../src/data/batch';
import { indexDataset } from '../../src/data/index';
import { loadSlices } from '../../src/data/load';
import { buildClassifier } from '../../src/models';
import { applyNamedWeights, parityError, type TorchExport } from '../../src/train/torch-import';
import { FIXTURES } from '../helpers';

/** A model's own weights in the GPU trainer's format: names in tfjs layer order, float32 values concatenated. */
function namedWeights(model: tf.LayersModel): { specs: TorchExport['weights']; values: Float32Array } {
  const specs: TorchExport['weights'] = [];
  const parts: Float32Array[] = [];
  for (const layer of model.layers)
    for (const w of layer.weights) {
      specs.push({ name: w.originalName, shape: w.shape as number[] });
      parts.push(w.read().dataSync() as Float32Array);
    }
  const values = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) values.set(p, (o += p.length) - p.length);
  return { specs, values };
}

describe('importing GPU-trained weights into the tfjs models', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  // 64x64 keeps the cpu backend quick; the names and layouts do not depend on the input size.
  const slices = loadSlices(indexDataset(FIXTURES), 64);

  it('sets every weight by name: a fresh classifier then predicts exactly as the source on the fixtures', async () => {
    const source = buildClassifier(64);
    const { specs, values } = namedWeights(source);
    const target = buildClassifier(64);
    applyNamedWeights(target, specs, values);
    const expected = await Promise.all(
      Array.from({ length: slices.records.length }, async (_, i) => {
        const { x } = makeBatch(slices, [i], 'classifier');
        return (await (source.predict(x) as tf.Tensor).data())[0];
      }),
    );
    expect(await parityError(target, 'classifier', slices, expected)).toBeLessThan(1e-6);
    // Outputs that differ by 0.01 are caught.
    const err = await parityError(target, 'classifier', slices, expected.map((p) => p + 0.01));
    expect(err).toBeGreaterThan(0.009);
    expect(err).toBeLessThan(0.011);
  }, 120_000);

  it('refuses missing, extra and misshapen weights with the name', () => {
    const model = buildClassifier(64);
    const { specs, values } = namedWeights(model);
    expect(() => applyNamedWeights(model, specs.slice(1), values.subarray(specs[0].shape.reduce((a, b) => a * b, 1)))).toThrow(/nothing for stem1_conv\/kernel/);
    const bent = specs.map((s, i) => (i === 1 ? { ...s, shape: [1, s.shape[0]] } : s));
    expect(() => applyNamedWeights(model, bent, values)).toThrow(/stem1_conv\/bias is \[1,32\]/);
    const extra = [...specs, { name: 'ghost/kernel', shape: [2] }];
    expect(() => applyNamedWeights(model, extra, new Float32Array(values.length + 2))).toThrow(/no place for ghost\/kernel/);
  });
});
