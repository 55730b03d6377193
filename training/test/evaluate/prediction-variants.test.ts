import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/run-cli';
import { flipAveraged, isPlainFolder, meanOf, parseCandidateSpec, variantPredictors } from '../../src/evaluate/prediction-variants';

tf.setBackend('cpu');

/** A conv "segmenter" whose random 3x3 kernel is not mirror-symmetric, and a "classifier" on top of it. */
function tinyModels(seed: number) {
  const conv = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid', inputShape: [4, 5, 2], kernelInitializer: tf.initializers.randomNormal({ seed }) });
  const segmenter = tf.sequential({ layers: [conv] });
  const classifier = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 5, 2] }), tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.randomNormal({ seed }) })] });
  return { segmenter, classifier };
}

const input = tf.randomUniform([2, 4, 5, 2], 0, 1, 'float32', 7) as tf.Tensor4D;
const mirror = (t: tf.Tensor) => tf.reverse(t, 2);
const values = (t: tf.Tensor | tf.Tensor[]) => Array.from((t as tf.Tensor).dataSync());

describe('flip test-time augmentation', () => {
  const { segmenter, classifier } = tinyModels(1);
  it('makes a segmenter mirror-equivariant: the map of the mirror image is the mirrored map', () => {
    // The plain model is not (else this test could not fail).
    expect(values(segmenter.predict(mirror(input)))).not.toEqual(values(mirror(segmenter.predict(input) as tf.Tensor)));
    const flipped = flipAveraged(segmenter);
    const a = values(flipped.predict(mirror(input)));
    const b = values(mirror(flipped.predict(input) as tf.Tensor));
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
  });
  it('averages a classifier over the image and its mirror, without flipping its [n, 1] output', () => {
    const flipped = values(flipAveraged(classifier).predict(input));
    const direct = values(classifier.predict(input));
    const ofMirror = values(classifier.predict(mirror(input)));
    expect(flipped).toHaveLength(2);
    flipped.forEach((v, i) => expect(v).toBeCloseTo((direct[i] + ofMirror[i]) / 2, 6));
  });
  it('keeps no tensors beyond its output', () => {
    const other = tinyModels(2).segmenter;
    const before = tf.memory().numTensors;
    const out = flipAveraged(meanOf([segmenter, other])).predict(input) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(before + 1);
    out.dispose();
  });
});

describe('ensemble of folders (mean of predictions)', () => {
  it('is the element-wise mean of the members\' outputs, and one member is itself', () => {
    const a = tinyModels(1).segmenter;
    const b = tinyModels(3).segmenter;
    const mean = values(meanOf([a, b]).predict(input));
    const va = values(a.predict(input));
    const vb = values(b.predict(input));
    mean.forEach((v, i) => expect(v).toBeCloseTo((va[i] + vb[i]) / 2, 6));
    expect(meanOf([a])).toBe(a);
  });
  it('flips only the model the suffix names', () => {
    const m = tinyModels(1);
    const p = variantPredictors({ classifier: [m.classifier], segmenter: [m.segmenter] }, { classifier: false, segmenter: true });
    expect(p.classifier).toBe(m.classifier);
    expect(p.segmenter).not.toBe(m.segmenter);
  });
});

describe('candidate specs', () => {
  it('reads folders, means and flip suffixes', () => {
    expect(parseCandidateSpec('public/models')).toEqual({ label: 'public/models', dirs: ['public/models'], flip: { classifier: false, segmenter: false } });
    expect(isPlainFolder(parseCandidateSpec('public/models'))).toBe(true);
    const c = parseCandidateSpec('public/models+.scratch/b~flip-segmenter');
    expect(c.dirs).toEqual(['public/models', '.scratch/b']);
    expect(c.flip).toEqual({ classifier: false, segmenter: true });
    expect(isPlainFolder(c)).toBe(false);
    expect(parseCandidateSpec('a~flip').flip).toEqual({ classifier: true, segmenter: true });
  });
  it('refuses an unknown suffix, two suffixes and an empty member', () => {
    expect(() => parseCandidateSpec('a~mirror')).toThrow(UsageError);
    expect(() => parseCandidateSpec('a~flip~flip')).toThrow(/at most one/);
    expect(() => parseCandidateSpec('a++b')).toThrow(/empty folder/);
  });
});
