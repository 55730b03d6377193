/** The notebook's optimizers and learning-rate schedule. */
import * as tf from '@tensorflow/tfjs';
import type { ModelName } from '../../../src/core/card';

/** Keras' Adam defaults for the classifier; lr 0.01, epsilon 0.1 for the ResUNet, as the notebook. */
export const ADAM: Record<ModelName, { lr: number; epsilon: number }> = {
  classifier: { lr: 0.001, epsilon: 1e-7 },
  segmenter: { lr: 0.01, epsilon: 0.1 },
};

/** The notebook holds the learning rate for 20 epochs; shorter schedules start the decay earlier (--decay-from). */
export const CONSTANT_EPOCHS = 20;

/** lr for 0-based epoch: constant for the first `constantEpochs`, then x e^-0.1 per epoch (Keras' LearningRateScheduler). */
export function learningRateAt(base: number, epoch: number, constantEpochs = CONSTANT_EPOCHS): number {
  return base * Math.exp(-0.1 * Math.max(0, epoch - (constantEpochs - 1)));
}

export function makeAdam(model: ModelName, lr = ADAM[model].lr): tf.AdamOptimizer {
  return tf.train.adam(lr, 0.9, 0.999, ADAM[model].epsilon);
}

/** tfjs' Adam reads `learningRate` at every step; it is protected only in the typings. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}
