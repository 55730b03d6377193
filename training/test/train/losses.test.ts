import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { binaryAccuracy, binaryCrossEntropy, focalTversky, objectiveFor, OBJECTIVES, tversky } from '../../src/train/losses';
import { learningRateAt } from '../../src/train/schedule';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const t = (v: number[]) => tf.tensor1d(v);

describe('binary cross-entropy', () => {
  it('matches -mean(y log p + (1-y) log(1-p)) computed by hand', () => {
    // y = [1, 0, 1, 0], p = [0.9, 0.2, 0.4, 0.5]
    const hand = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.5)) / 4; // 0.4845...
    expect(binaryCrossEntropy(t([1, 0, 1, 0]), t([0.9, 0.2, 0.4, 0.5])).dataSync()[0]).toBeCloseTo(hand, 5);
  });
  it('stays finite at p = 0 and 1 (clipped at 1e-7 like Keras)', () => {
    // -log(1e-7) = 16.12; 1 - (1 - 1e-7) in float32 is 1.19e-7, so the mean is ~16.03.
    const v = binaryCrossEntropy(t([1, 0]), t([0, 1])).dataSync()[0];
    expect(v).toBeGreaterThan(15.9);
    expect(v).toBeLessThan(16.2);
  });
  it('accuracy counts p >= 0.5 as tumor', () => {
    expect(binaryAccuracy(t([1, 0, 1, 0]), t([0.5, 0.49, 0.2, 0.7])).dataSync()[0]).toBeCloseTo(0.5, 6);
  });
});

describe('focal Tversky (alpha 0.7, gamma 0.75, over the whole batch)', () => {
  // Two "images" of 2 pixels, flattened over the batch: y = [1,1,0,0], p = [0.8,0.6,0.3,0.1]
  // TP = 0.8 + 0.6 = 1.4, FN = 0.2 + 0.4 = 0.6, FP = 0.3 + 0.1 = 0.4
  const y = tf.tensor4d([1, 1, 0, 0], [2, 1, 2, 1]);
  const p = tf.tensor4d([0.8, 0.6, 0.3, 0.1], [2, 1, 2, 1]);
  it('Tversky index with smoothing 1', () => {
    const hand = (1.4 + 1) / (1.4 + 0.7 * 0.6 + 0.3 * 0.4 + 1); // 2.4 / 2.94
    expect(tversky(y, p).dataSync()[0]).toBeCloseTo(hand, 6);
  });
  it('with the notebook smoothing 1e-6', () => {
    expect(tversky(y, p, 1e-6).dataSync()[0]).toBeCloseTo(1.4 / 1.94, 5);
  });
  it('loss = (1 - t + 1e-4)^0.75', () => {
    const hand = Math.pow(1 - 2.4 / 2.94 + 1e-4, 0.75);
    expect(focalTversky(y, p).dataSync()[0]).toBeCloseTo(hand, 6);
  });
  it('pools the batch: not the mean of per-image losses', () => {
    const perImage = (Math.pow(1 - (1.4 + 1) / (1.4 + 0.42 + 1) + 1e-4, 0.75) + Math.pow(1 - 1 / (0.12 + 1) + 1e-4, 0.75)) / 2;
    expect(Math.abs(focalTversky(y, p).dataSync()[0] - perImage)).toBeGreaterThan(0.05);
  });
  it('a perfect batch scores ~0 with a bounded gradient (the floor keeps (1-t)^-0.25 finite)', () => {
    const yy = tf.tensor1d([1, 1, 0, 0]);
    const pp = tf.tensor1d([1, 1, 0, 0]);
    expect(focalTversky(yy, pp).dataSync()[0]).toBeCloseTo(Math.pow(1e-4, 0.75), 6);
    const g = tf.grad((q: tf.Tensor) => focalTversky(yy, q))(pp).dataSync();
    for (const v of g) expect(Number.isFinite(v) && Math.abs(v) < 10).toBe(true);
  });
  it('an empty mask predicted empty is perfect, not 0/0', () => {
    expect(tversky(tf.zeros([4]), tf.zeros([4])).dataSync()[0]).toBe(1);
  });
});

describe('learning-rate schedule', () => {
  it('constant for 20 epochs, then x e^-0.1 per epoch', () => {
    expect(learningRateAt(0.01, 0)).toBe(0.01);
    expect(learningRateAt(0.01, 19)).toBe(0.01);
    expect(learningRateAt(0.01, 20)).toBeCloseTo(0.01 * Math.exp(-0.1), 12);
    expect(learningRateAt(0.01, 29)).toBeCloseTo(0.01 * Math.exp(-1), 12);
    // --decay-from 8: eight epochs at the base rate, then the same e^-0.1 per epoch
    expect(learningRateAt(0.001, 7, 8)).toBe(0.001);
    expect(learningRateAt(0.001, 17, 8)).toBeCloseTo(0.001 * Math.exp(-1), 12);
  });
});

describe('segmenter objective with a cross-entropy term (--bce-weight)', () => {
  // A balanced batch in miniature: a tumor slice segmented well, and a tumor-free slice with a false outline.
  const truth = t([1, 1, 1, 1, 0, 0, 0, 0, /* tumor-free slice: */ 0, 0, 0, 0, 0, 0, 0, 0]);
  const clean = t([0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]);
  const outlined = t([0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.01, 0.01, 0.01, 0.01, 0.01]);
  const value = (s: tf.Scalar) => s.dataSync()[0];

  it('weight 0 is the notebook objective itself; weight w adds w x cross-entropy', () => {
    expect(objectiveFor('segmenter', 0)).toBe(OBJECTIVES.segmenter);
    const w = 2;
    const combo = value(objectiveFor('segmenter', w).loss(truth, outlined));
    expect(combo).toBeCloseTo(value(focalTversky(truth, outlined)) + w * value(binaryCrossEntropy(truth, outlined)), 5);
    expect(objectiveFor('segmenter', w).metric).toBe(tversky);
  });

  it('charges a false outline on a tumor-free slice more than focal Tversky alone does', () => {
    const rise = (o: ReturnType<typeof objectiveFor>) => value(o.loss(truth, outlined)) - value(o.loss(truth, clean));
    expect(rise(objectiveFor('segmenter', 1))).toBeGreaterThan(rise(OBJECTIVES.segmenter) + 0.3);
  });

  it('is refused for the classifier', () => {
    expect(() => objectiveFor('classifier', 1)).toThrow(/only added to the segmenter/);
  });
});

describe('classifier objective with tumor slices weighted (--pos-weight)', () => {
  const value = (s: tf.Scalar) => s.dataSync()[0];
  it('multiplies the tumor slices\' terms only, as computed by hand; weight 1 is the notebook objective', () => {
    // y = [1, 0, 1, 0], p = [0.9, 0.2, 0.4, 0.5], tumor terms x3
    const hand = -(3 * Math.log(0.9) + Math.log(0.8) + 3 * Math.log(0.4) + Math.log(0.5)) / 4;
    expect(value(objectiveFor('classifier', 0, 3).loss(t([1, 0, 1, 0]), t([0.9, 0.2, 0.4, 0.5])))).toBeCloseTo(hand, 5);
    expect(objectiveFor('classifier', 0, 1)).toBe(OBJECTIVES.classifier);
    expect(objectiveFor('classifier', 0, 3).metric).toBe(binaryAccuracy);
  });

  it('puts more of the gradient on a tumor slice scored low than the plain loss does', () => {
    const grad = (posWeight: number) => {
      const y = t([1, 0]);
      const g = tf.grad((p: tf.Tensor) => objectiveFor('classifier', 0, posWeight).loss(y, p))(t([0.1, 0.1])).dataSync();
      return Math.abs(g[0]) / Math.abs(g[1]); // the missed tumor's pull against the tumor-free slice's
    };
    expect(grad(3)).toBeCloseTo(3 * grad(1), 4);
  });

  it('is refused for the segmenter and together with --bce-weight', () => {
    expect(() => objectiveFor('segmenter', 0, 3)).toThrow(/only for the classifier/);
    expect(() => objectiveFor('classifier', 1, 3)).toThrow(/only for the classifier/);
  });
});
