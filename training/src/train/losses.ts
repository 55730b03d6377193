/**
 * The notebook's losses and metrics, as tfjs ops.
 *
 * Focal Tversky follows the notebook: flatten the whole batch, t = (TP + s) / (TP + a*FN + (1-a)*FP + s),
 * loss = (1 - t)^gamma with a = 0.7, gamma = 0.75. Two choices of ours:
 * - smoothing s = 1 (the notebook used 1e-6). Counts here are hundreds to thousands of pixels per batch, so
 *   s = 1 moves t by well under 0.1%, and a batch with no tumor and no prediction scores t = 1 (perfect)
 *   instead of a 0/0-ish ratio driven by 1e-6.
 * - d/dt (1-t)^0.75 = -0.75 (1-t)^-0.25 grows without bound as t -> 1, so a near-perfect batch would get a
 *   huge step. We take the power of (1 - t + 1e-4): the loss moves by at most ~1e-3 and the gradient factor
 *   is capped at 0.75 * 1e-4^-0.25 = 7.5.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_THRESHOLD } from '../../../src/core/thresholds';

export const TVERSKY_ALPHA = 0.7;
export const FOCAL_GAMMA = 0.75;
export const TVERSKY_SMOOTH = 1;
export const FOCAL_FLOOR = 1e-4;
/** Keras' epsilon for clipping probabilities in binary cross-entropy. */
export const BCE_EPSILON = 1e-7;

/**
 * Mean binary cross-entropy of probabilities (Keras' binary_crossentropy on sigmoid outputs). `posWeight` multiplies
 * the positives' terms (Keras' weighted_cross_entropy_with_logits `pos_weight`); 1 is the plain loss.
 */
export function binaryCrossEntropy(yTrue: tf.Tensor, yPred: tf.Tensor, posWeight = 1): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.clipByValue(yPred, BCE_EPSILON, 1 - BCE_EPSILON);
    const positives = tf.mul(yTrue, tf.log(p));
    const ll = tf.add(posWeight === 1 ? positives : tf.mul(posWeight, positives), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(ll)) as tf.Scalar;
  });
}

/** Share of slices called right at the default threshold, by src/core's isTumor rule (probability >= threshold), as tensor ops. */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.greaterEqual(yPred, DEFAULT_THRESHOLD), 'float32'), yTrue), 'float32')) as tf.Scalar);
}

/** Tversky index over the whole batch (the notebook's training metric). */
export function tversky(yTrue: tf.Tensor, yPred: tf.Tensor, smooth = TVERSKY_SMOOTH): tf.Scalar {
  return tf.tidy(() => {
    const t = tf.reshape(yTrue, [-1]);
    const p = tf.reshape(yPred, [-1]);
    const tp = tf.sum(tf.mul(t, p));
    const fn = tf.sum(tf.mul(t, tf.sub(1, p)));
    const fp = tf.sum(tf.mul(tf.sub(1, t), p));
    const denom = tf.add(tf.add(tf.add(tp, tf.mul(TVERSKY_ALPHA, fn)), tf.mul(1 - TVERSKY_ALPHA, fp)), smooth);
    return tf.div(tf.add(tp, smooth), denom) as tf.Scalar;
  });
}

export function focalTversky(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.pow(tf.add(tf.sub(1, tversky(yTrue, yPred)), FOCAL_FLOOR), FOCAL_GAMMA) as tf.Scalar);
}

export interface Objective {
  loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;
  metric: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;
  metricName: string;
}

export const OBJECTIVES = {
  classifier: { loss: binaryCrossEntropy, metric: binaryAccuracy, metricName: 'accuracy' },
  segmenter: { loss: focalTversky, metric: tversky, metricName: 'tversky' },
} satisfies Record<string, Objective>;

/**
 * The segmenter's focal Tversky plus `weight` x pixel-wise binary cross-entropy (a "combo" loss). Why: Tversky is
 * taken over the whole batch with false negatives weighted 0.7 and false positives 0.3, so an outline drawn on a
 * tumor-free slice of a balanced batch costs little; cross-entropy charges every false pixel on its own.
 * Weight 0 is the notebook's objective, unchanged.
 */
export function objectiveFor(model: keyof typeof OBJECTIVES, bceWeight = 0, posWeight = 1): Objective {
  const base = OBJECTIVES[model];
  if (posWeight !== 1) {
    // The classifier's cross-entropy with tumor slices weighted: more of the gradient on the tumors it scores low,
    // the ones that decide recall at a low threshold.
    if (model !== 'classifier' || bceWeight !== 0) throw new Error('a tumor-slice weight is only for the classifier\'s cross-entropy');
    return { ...base, loss: (yTrue, yPred) => binaryCrossEntropy(yTrue, yPred, posWeight) };
  }
  if (bceWeight === 0) return base;
  if (model !== 'segmenter') throw new Error('a cross-entropy term is only added to the segmenter\'s loss');
  return {
    ...base,
    loss: (yTrue, yPred) => tf.tidy(() => tf.add(focalTversky(yTrue, yPred), tf.mul(bceWeight, binaryCrossEntropy(yTrue, yPred))) as tf.Scalar),
  };
}

