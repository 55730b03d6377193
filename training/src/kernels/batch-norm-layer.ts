/**
 * Routes tfjs-layers' BatchNormalization training call to the fused kernels (batch-norm-training.ts) on
 * backends that have them. Everything else (inference, other axes, no center/scale) keeps the layer's own code.
 * The moving averages are updated exactly as the layer does (momentum, biased batch variance).
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN, batchNormTrain } from './batch-norm-training';

// The layer internals this relies on (tfjs-layers 4.22 BatchNormalization).
interface BnLayer {
  axis: number; momentum: number; epsilon: number; center: boolean; scale: boolean;
  gamma: { read(): tf.Tensor }; beta: { read(): tf.Tensor };
  movingMean: { read(): tf.Tensor; write(t: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(t: tf.Tensor): void };
}
type CallFn = (this: BnLayer, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor;

let originalCall: CallFn | undefined;

const layerPrototype = () => Object.getPrototypeOf(tf.layers.batchNormalization({})) as { call: CallFn };

export function patchBatchNormalizationLayer(): void {
  if (originalCall) return;
  const proto = layerPrototype();
  const original = (originalCall = proto.call);
  proto.call = function (this: BnLayer, inputs, kwargs) {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const ndim = input.shape.length;
    const axis = this.axis >= 0 ? this.axis : this.axis + ndim;
    const usable = kwargs?.training === true && this.center && this.scale && axis === ndim - 1 && input.dtype === 'float32' &&
      (!Array.isArray(inputs) || inputs.length === 1) && tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
    if (!usable) return original.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTrain(input, this.gamma.read(), this.beta.read(), this.epsilon);
      const decay = 1 - this.momentum;
      for (const [variable, value] of [[this.movingMean, mean], [this.movingVariance, variance]] as const) {
        tf.tidy(() => {
          const current = variable.read();
          variable.write(tf.sub(current, tf.mul(tf.sub(current, value), decay)));
        });
      }
      return y;
    });
  };
}

/** Puts the layer's own training call back (tests compare against it). */
export function unpatchBatchNormalizationLayer(): void {
  if (!originalCall) return;
  layerPrototype().call = originalCall;
  originalCall = undefined;
}
