/** The residual block both notebook models share. */
import * as tf from '@tensorflow/tfjs';

type Init = { kernelInitializer?: 'heNormal' };

/**
 * main: Conv(f,1x1)+BN+ReLU, Conv(f,3x3,same)+BN; shortcut: Conv(f,1x1)+BN; Add; ReLU.
 * `init` carries he_normal where the notebook uses it (the ResUNet); the classifier keeps Keras' default.
 */
export function residualBlock(x: tf.SymbolicTensor, filters: number, name: string, init: Init): tf.SymbolicTensor {
  const conv = (kernelSize: number, padding: 'same' | 'valid', suffix: string, input: tf.SymbolicTensor) =>
    tf.layers.conv2d({ filters, kernelSize, padding, name: `${name}_${suffix}`, ...init }).apply(input) as tf.SymbolicTensor;
  const bn = (suffix: string, input: tf.SymbolicTensor) =>
    tf.layers.batchNormalization({ name: `${name}_${suffix}` }).apply(input) as tf.SymbolicTensor;

  let main = bn('bn1', conv(1, 'valid', 'conv1', x));
  main = tf.layers.activation({ activation: 'relu', name: `${name}_relu1` }).apply(main) as tf.SymbolicTensor;
  main = bn('bn2', conv(3, 'same', 'conv2', main));
  const shortcut = bn('bn_short', conv(1, 'valid', 'conv_short', x));
  const sum = tf.layers.add({ name: `${name}_add` }).apply([main, shortcut]) as tf.SymbolicTensor;
  return tf.layers.activation({ activation: 'relu', name: `${name}_out` }).apply(sum) as tf.SymbolicTensor;
}
