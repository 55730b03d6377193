/** Exports a ResUNet (all weights 1, card "first") into argv[2], then again with weights 2 and card "second", armed to be killed. */
import * as tf from '@tensorflow/tfjs';
import { baseCard } from '../../../src/export/card';
import { exportModel } from '../../../src/export/export-model';
import { buildModel } from '../../../src/models';

await tf.setBackend('cpu');
const root = process.argv[2];
const model = buildModel('segmenter', 32); // 4.8 MB: two shards
for (const [value, command] of [[1, 'first'], [2, 'second']] as const) {
  if (value === 2) (globalThis as unknown as { armKill: () => void }).armKill();
  model.setWeights(model.weights.map((w) => tf.fill(w.shape as number[], value)));
  const training = { command, epochs: value, bestEpoch: value, batchSize: 1, backend: 'cpu', wallSeconds: 0, imagesPerSecond: 0, machine: 'test' };
  const card = { ...baseCard('segmenter', model, { dtype: 'float32', bytes: 0 }), trained: true, training };
  await exportModel({ root, name: 'segmenter', model, card, force: true });
}
