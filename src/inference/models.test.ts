// The warm-up reports how far it got, so the model panel can say what the first slice had to warm itself.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../core/constants';
import type { TumorModels } from './analyze';
import { warmUp } from './models';

function tinyModel(): tf.LayersModel {
  const x = tf.input({ shape: [IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS] });
  const y = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y });
}

describe('warmUp', () => {
  let models: TumorModels;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    models = { classifier: tinyModel(), segmenter: tinyModel(), segmenter2: null };
  });

  it('runs both models when no slice is waiting, and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    expect(await warmUp(models)).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops before the segmenter when a slice arrives during the classifier run', async () => {
    let asked = 0;
    expect(await warmUp(models, () => asked++ > 0)).toBe(1);
    expect(asked).toBe(2);
  });

  it('warms the second segmenter too when there is one', async () => {
    const second = tinyModel();
    expect(await warmUp({ ...models, segmenter2: second })).toBe(3);
    let asked = 0;
    expect(await warmUp({ ...models, segmenter2: second }, () => asked++ > 1)).toBe(2);
    second.dispose();
  });

  it('runs nothing when a slice is already waiting', async () => {
    expect(await warmUp(models, () => true)).toBe(0);
  });
});
