/**
 * Folding BN into convs at load time must not change a prediction: a small model built to hit every rule (and
 * every case the rules must refuse), and the shipped models on a real fixture slice.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelArtifactsFromDir } from '../../training/src/export/model-files';
import { decodeTiff } from '../io/tiff';
import { classify, segment } from './analyze';
import { foldBatchNorm, loadForInference } from './fold-batch-norm';

const HERE = dirname(fileURLToPath(import.meta.url));
const MODELS = resolve(HERE, '../../public/models');
const SMALL_TUMOR = resolve(HERE, '../../../shared/data/lgg/fixtures/TCGA_HT_8113_19930809_12.tif');

async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  return saved!;
}

/** Gives every BN non-trivial statistics, so a fold that ignores one of them shows. */
function randomizeBatchNorms(model: tf.LayersModel): void {
  for (const layer of model.layers)
    if (layer.getClassName() === 'BatchNormalization')
      layer.setWeights(layer.weights.map((w) => (w.name.includes('variance') ? tf.randomUniform(w.shape as number[], 0.2, 3, 'float32', 7) : tf.randomNormal(w.shape as number[], 0.3, 1, 'float32', 11))));
}

function toyModel(): tf.LayersModel {
  const x = tf.input({ shape: [12, 12, 3] });
  const conv = (filters: number, name: string, useBias = true, activation: 'linear' | 'relu' = 'linear') =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias, activation, name, kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) });
  const bn = (name: string, o: { center?: boolean; scale?: boolean } = {}) => tf.layers.batchNormalization({ name, ...o });
  const relu = (name: string) => tf.layers.activation({ activation: 'relu', name });
  const apply = (l: tf.layers.Layer, i: tf.SymbolicTensor | tf.SymbolicTensor[]) => l.apply(i) as tf.SymbolicTensor;

  // conv without bias -> BN without center -> maxpool -> relu: fold and fuse across the pool.
  let y = apply(relu('r1'), apply(tf.layers.maxPooling2d({ poolSize: 2, name: 'p1' }), apply(bn('bn1', { center: false }), apply(conv(4, 'c1', false), x))));
  // conv -> BN (no scale) -> relu: fold and fuse.
  y = apply(relu('r2'), apply(bn('bn2', { scale: false }), apply(conv(5, 'c2'), y)));
  // conv read by BN and by an add: no fold (the raw conv output is needed).
  const c3 = apply(conv(5, 'c3'), y);
  y = apply(tf.layers.add({ name: 'add' }), [apply(bn('bn3'), c3), c3]);
  // relu conv -> BN: BN after an activation, no fold.
  y = apply(bn('bn4'), apply(conv(6, 'c4', true, 'relu'), y));
  // the model's output is a BN after a conv: folded, and the output renamed to the conv.
  const out = apply(bn('bn5'), apply(conv(2, 'c5'), y));
  return tf.model({ inputs: x, outputs: out });
}

describe('foldBatchNorm', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('folds what it may, refuses what it must not, and predicts the same', async () => {
    const model = toyModel();
    randomizeBatchNorms(model);
    const { model: folded, summary } = await loadForInference(await artifactsOf(model));
    expect(summary).toEqual({ foldedBatchNorms: 3, fusedRelus: 2, storedParams: model.countParams() });
    const kept = folded.layers.map((l) => l.name);
    expect(kept.filter((n) => n.startsWith('bn'))).toEqual(['bn3', 'bn4']);
    expect(kept).not.toContain('r1');
    expect(kept).not.toContain('r2');
    expect(folded.outputNames[0]).toMatch(/^c5/);

    const input = tf.randomNormal([2, 12, 12, 3], 0, 1, 'float32', 5);
    const want = (model.predict(input) as tf.Tensor).dataSync();
    const got = (folded.predict(input) as tf.Tensor).dataSync();
    expect(got.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
    expect(worst).toBeLessThan(1e-5);
    expect(Math.max(...want.map(Math.abs))).toBeGreaterThan(0.1); // the comparison is not of zeros
  });

  it('returns weightless artifacts untouched', async () => {
    const a = await artifactsOf(toyModel());
    const bare = { modelTopology: a.modelTopology };
    const { artifacts, summary } = await foldBatchNorm(bare);
    expect(artifacts).toBe(bare);
    expect(summary.foldedBatchNorms).toBe(0);
  });

  it('leaves both shipped models predicting the same on a real tumor slice (the small-tumor fixture)', async () => {
    const { raster } = decodeTiff(readFileSync(SMALL_TUMOR), 'tumor.tif');
    const image = { width: raster.width, height: raster.height, data: raster.data };
    for (const name of ['classifier', 'segmenter'] as const) {
      const artifacts = modelArtifactsFromDir(join(MODELS, name));
      const plain = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      const { model, summary } = await loadForInference(artifacts);
      expect(summary.storedParams).toBe(plain.countParams());
      expect(summary.foldedBatchNorms).toBe(name === 'classifier' ? 12 : 24);
      const run = async (m: tf.LayersModel) => (name === 'classifier' ? classify(m, [image]) : (await segment(m, [image]))[0]);
      const want = await run(plain);
      const got = await run(model);
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      expect(worst).toBeLessThan(1e-5);
      if (name === 'classifier') expect(want[0]).toBeGreaterThan(0.5); // the tumor slice is called tumor
      else expect(Math.max(...want)).toBeGreaterThan(0.5); // and the segmenter finds some of it
    }
  });
});
