/** Model cards (src/core/card.ts) for what training exports. */
import type * as tf from '@tensorflow/tfjs';
import { RESEARCH_NOTICE, type ModelCard, type ModelName } from '../../../src/core/card';

export const ARCHITECTURES: Record<ModelName, string> = {
  classifier:
    "The notebook's ResNet-style CNN: Conv32+BN+MaxPool+ReLU, Conv64+BN+MaxPool+ReLU, residual blocks 64/128/256, Conv256+BN+MaxPool+ReLU, AvgPool, Dense 128/128/64 (BN, Dropout 0.2), sigmoid",
  segmenter:
    "The notebook's ResUNet: 2x Conv16+BN, residual blocks 32/64/128 + MaxPool, bottleneck 256, 4x (UpSampling + skip + residual block 128/64/32/16), 1x1 sigmoid",
};

export function baseCard(name: ModelName, model: tf.LayersModel, weights: ModelCard['weights']): ModelCard {
  const shape = model.inputs[0].shape;
  return {
    name,
    trained: false,
    architecture: ARCHITECTURES[name],
    params: model.countParams(),
    inputShape: [shape[1] as number, shape[2] as number, shape[3] as number],
    preprocessing: name === 'classifier' ? 'pixels/255' : 'per-image standardization',
    weights,
    date: new Date().toISOString(),
    notice: RESEARCH_NOTICE,
  };
}
