/**
 * The notebook's ResUNet, layer for layer: 1,210,513 parameters at 256x256x3 (the count does not depend on size;
 * the size must be a multiple of 16 for the four poolings).
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../../../src/core/constants';
import { residualBlock } from './blocks';

export const SEGMENTER_PARAMS = 1_210_513;
const HE = { kernelInitializer: 'heNormal' as const };

export function buildSegmenter(inputSize = IMAGE_SIZE): tf.LayersModel {
  if (inputSize % 16 !== 0) throw new Error(`segmenter input size must be a multiple of 16, got ${inputSize}`);
  const input = tf.input({ shape: [inputSize, inputSize, IMAGE_CHANNELS], name: 'slice' });
  const pool = (x: tf.SymbolicTensor, name: string) => tf.layers.maxPooling2d({ poolSize: 2, name }).apply(x) as tf.SymbolicTensor;

  let c1 = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', name: 'stage1_conv1', ...HE }).apply(input) as tf.SymbolicTensor;
  c1 = tf.layers.batchNormalization({ name: 'stage1_bn1' }).apply(c1) as tf.SymbolicTensor;
  c1 = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', name: 'stage1_conv2', ...HE }).apply(c1) as tf.SymbolicTensor;
  c1 = tf.layers.batchNormalization({ name: 'stage1_bn2' }).apply(c1) as tf.SymbolicTensor;

  const c2 = residualBlock(pool(c1, 'pool1'), 32, 'stage2', HE);
  const c3 = residualBlock(pool(c2, 'pool2'), 64, 'stage3', HE);
  const c4 = residualBlock(pool(c3, 'pool3'), 128, 'stage4', HE);
  let x = residualBlock(pool(c4, 'pool4'), 256, 'bottleneck', HE);

  const up = (from: tf.SymbolicTensor, skip: tf.SymbolicTensor, filters: number, name: string) => {
    const u = tf.layers.upSampling2d({ size: [2, 2], name: `${name}_up` }).apply(from) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ name: `${name}_concat` }).apply([u, skip]) as tf.SymbolicTensor;
    return residualBlock(cat, filters, name, HE);
  };
  x = up(x, c4, 128, 'up1');
  x = up(x, c3, 64, 'up2');
  x = up(x, c2, 32, 'up3');
  x = up(x, c1, 16, 'up4');
  const out = tf.layers.conv2d({ filters: 1, kernelSize: 1, padding: 'same', activation: 'sigmoid', name: 'tumor_mask' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'segmenter' });
}
