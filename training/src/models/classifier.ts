/**
 * The notebook's tumor classifier (a small ResNet-style CNN), layer for layer.
 * At 256x256x3 it has exactly 8,880,897 parameters: the head's Flatten sees 15x15x256 = 57,600 features
 * (256 -conv-> 254 -pool-> 127 -conv-> 125 -pool-> 62, residual blocks keep 62, -conv-> 60 -pool-> 30 -avg-> 15).
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../../../src/core/constants';
import { residualBlock } from './blocks';

export const CLASSIFIER_PARAMS_256 = 8_880_897;
export const DROPOUT_RATE = 0.2;

function convBnPoolRelu(x: tf.SymbolicTensor, filters: number, name: string): tf.SymbolicTensor {
  let y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'valid', name: `${name}_conv` }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.maxPooling2d({ poolSize: 2, name: `${name}_pool` }).apply(y) as tf.SymbolicTensor;
  return tf.layers.activation({ activation: 'relu', name: `${name}_relu` }).apply(y) as tf.SymbolicTensor;
}

function denseBnDropout(x: tf.SymbolicTensor, units: number, name: string): tf.SymbolicTensor {
  let y = tf.layers.dense({ units, activation: 'relu', name: `${name}_dense` }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(y) as tf.SymbolicTensor;
  return tf.layers.dropout({ rate: DROPOUT_RATE, name: `${name}_dropout` }).apply(y) as tf.SymbolicTensor;
}

export function buildClassifier(inputSize = IMAGE_SIZE): tf.LayersModel {
  const input = tf.input({ shape: [inputSize, inputSize, IMAGE_CHANNELS], name: 'slice' });
  let x = convBnPoolRelu(input, 32, 'stem1');
  x = convBnPoolRelu(x, 64, 'stem2');
  x = residualBlock(x, 64, 'res64', {});
  x = residualBlock(x, 128, 'res128', {});
  x = residualBlock(x, 256, 'res256', {});
  x = convBnPoolRelu(x, 256, 'top');
  x = tf.layers.averagePooling2d({ poolSize: 2, name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  x = denseBnDropout(x, 128, 'fc1');
  x = denseBnDropout(x, 128, 'fc2');
  x = denseBnDropout(x, 64, 'fc3');
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'tumor_probability' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'classifier' });
}
