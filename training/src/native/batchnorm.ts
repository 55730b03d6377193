// Batch normalization in training mode as one native kernel pair. tfjs-layers composes it from moments +
// batchNorm, whose gradients cost ~20 full-size ops (a Tile among them); here the BatchNormalization
// layer's training call is routed to a fused kernel with its own gradient when the native path is active.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { heapOf, offsetOf, type WasmBackendLike } from './heap.js';
import { NATIVE_BACKEND } from './registry.js';

export const BN_TRAIN = 'LggNativeBatchNormTrain';
export const BN_TRAIN_GRAD = 'LggNativeBatchNormTrainGrad';

interface BnAttrs { epsilon: number }

function rowsAndChannels(shape: number[]): [number, number] {
  const c = shape[shape.length - 1];
  return [shape.reduce((a, b) => a * b, 1) / c, c];
}

let kernelsRegistered = false;

function registerKernels(addon: NativeAddon): void {
  if (kernelsRegistered) return;
  kernelsRegistered = true;
  tf.registerKernel({
    kernelName: BN_TRAIN,
    backendName: NATIVE_BACKEND,
    kernelFunc: ({ inputs, backend: b, attrs }) => {
      const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
      const backend = b as unknown as WasmBackendLike;
      const [m, c] = rowsAndChannels(x.shape);
      const y = backend.makeOutput(x.shape, 'float32');
      const mean = backend.makeOutput([c], 'float32');
      const variance = backend.makeOutput([c], 'float32');
      addon.batchnormTrainForward(heapOf(backend), new Float64Array([
        m, c, (attrs as unknown as BnAttrs).epsilon, offsetOf(backend, x), offsetOf(backend, gamma), offsetOf(backend, beta),
        offsetOf(backend, y), offsetOf(backend, mean), offsetOf(backend, variance),
      ]));
      return [y, mean, variance];
    },
  });
  tf.registerKernel({
    kernelName: BN_TRAIN_GRAD,
    backendName: NATIVE_BACKEND,
    kernelFunc: ({ inputs, backend: b, attrs }) => {
      const { dy, x, gamma, mean, variance } = inputs as Record<string, TensorInfo>;
      const backend = b as unknown as WasmBackendLike;
      const [m, c] = rowsAndChannels(x.shape);
      const dx = backend.makeOutput(x.shape, 'float32');
      const dgamma = backend.makeOutput([c], 'float32');
      const dbeta = backend.makeOutput([c], 'float32');
      addon.batchnormTrainBackward(heapOf(backend), new Float64Array([
        m, c, (attrs as unknown as BnAttrs).epsilon, offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, gamma),
        offsetOf(backend, mean), offsetOf(backend, variance), offsetOf(backend, dx), offsetOf(backend, dgamma),
        offsetOf(backend, dbeta),
      ]));
      return [dx, dgamma, dbeta];
    },
  });
  tf.registerGradient({
    kernelName: BN_TRAIN,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const dy = Array.isArray(dys) ? dys[0] : dys;
      const [x, gamma, mean, variance] = saved;
      const [dx, dgamma, dbeta] = tf.engine().runKernel(
        BN_TRAIN_GRAD, { dy, x, gamma, mean, variance }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  });
}

/** y = gamma * (x - mean) / sqrt(variance + epsilon) + beta over the last axis, with batch statistics. */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number) {
  const [y, mean, variance] = tf.engine().runKernel(BN_TRAIN, { x, gamma, beta }, { epsilon }) as tf.Tensor[];
  return { y, mean, variance };
}

// The layer internals this patch relies on (tfjs-layers 4.22 BatchNormalization).
interface BnLayer {
  axis: number; momentum: number; epsilon: number; center: boolean; scale: boolean;
  gamma: { read(): tf.Tensor }; beta: { read(): tf.Tensor };
  movingMean: { read(): tf.Tensor; write(t: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(t: tf.Tensor): void };
}
type CallFn = (this: BnLayer, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor;

let originalCall: CallFn | undefined;

function layerPrototype(): { call: CallFn } {
  return Object.getPrototypeOf(tf.layers.batchNormalization({})) as { call: CallFn };
}

/** Routes BatchNormalization's training call to the native kernels while the wasm backend is active. */
export function patchBatchNormLayer(addon: NativeAddon): string[] {
  registerKernels(addon);
  const proto = layerPrototype();
  if (originalCall) return [BN_TRAIN, BN_TRAIN_GRAD];
  const original = (originalCall = proto.call);
  proto.call = function (this: BnLayer, inputs, kwargs) {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const ndim = input.shape.length;
    const axis = this.axis >= 0 ? this.axis : this.axis + ndim;
    const usable = kwargs?.training === true && tf.getBackend() === NATIVE_BACKEND && this.center && this.scale &&
      axis === ndim - 1 && input.dtype === 'float32' && (!Array.isArray(inputs) || inputs.length === 1);
    if (!usable) return original.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTrain(input, this.gamma.read(), this.beta.read(), this.epsilon);
      // Same moving-average update as the layer's own training call.
      const decay = 1 - this.momentum;
      for (const [variable, value] of [[this.movingMean, mean], [this.movingVariance, variance]] as const) {
        tf.tidy(() => {
          const orig = variable.read();
          variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
        });
      }
      return y;
    });
  };
  return [BN_TRAIN, BN_TRAIN_GRAD];
}

export function unpatchBatchNormLayer(): void {
  if (!originalCall) return;
  layerPrototype().call = originalCall;
  originalCall = undefined;
}
