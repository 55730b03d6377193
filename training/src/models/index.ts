export { buildClassifier, CLASSIFIER_PARAMS_256 } from './classifier';
export { buildSegmenter, SEGMENTER_PARAMS } from './segmenter';
import type * as tf from '@tensorflow/tfjs';
import type { ModelName } from '../../../src/core/card';
import { buildClassifier } from './classifier';
import { buildSegmenter } from './segmenter';

export function buildModel(name: ModelName, inputSize?: number): tf.LayersModel {
  if (name === 'classifier') return buildClassifier(inputSize);
  if (name === 'segmenter') return buildSegmenter(inputSize);
  throw new Error(`unknown model '${String(name)}': classifier or segmenter`); // a segmenter for any other name hid typos

}
