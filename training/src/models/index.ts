export { buildClassifier, CLASSIFIER_PARAMS_256 } from './classifier';
export { buildSegmenter, SEGMENTER_PARAMS } from './segmenter';
import type * as tf from '@tensorflow/tfjs';
import type { ModelName } from '../../../src/core/card';
import { buildClassifier } from './classifier';
import { buildSegmenter } from './segmenter';

export function buildModel(name: ModelName, inputSize?: number): tf.LayersModel {
  return name === 'classifier' ? buildClassifier(inputSize) : buildSegmenter(inputSize);
}
