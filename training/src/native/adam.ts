// Adam's update as one native kernel per variable. tfjs's AdamOptimizer spends ~12 full passes per variable
// (the classifier's 7.4M-weight dense layer makes that visible); its applyGradients is routed here while
// wasm is the backend. Same moment variables, names and order: checkpoints (getWeights/setWeights) are
// unchanged.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { heapOf, offsetOf, type WasmBackendLike } from './heap.js';
import { NATIVE_BACKEND } from './registry.js';

export const ADAM_UPDATE = 'LggNativeAdamUpdate';

interface AdamInternals {
  learningRate: number; beta1: number; beta2: number; epsilon: number;
  accBeta1: tf.Variable; accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}
type ApplyFn = (this: AdamInternals, grads: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]) => void;

let kernelRegistered = false;
let originalApply: ApplyFn | undefined;

function registerKernel(addon: NativeAddon) {
  if (kernelRegistered) return;
  kernelRegistered = true;
  tf.registerKernel({
    kernelName: ADAM_UPDATE,
    backendName: NATIVE_BACKEND,
    kernelFunc: ({ inputs, backend: b, attrs }) => {
      const { value, grad, m, v } = inputs as Record<string, TensorInfo>;
      const backend = b as unknown as WasmBackendLike;
      const a = attrs as unknown as { lr: number; beta1: number; beta2: number; epsilon: number; c1: number; c2: number };
      const outs = [0, 1, 2].map(() => backend.makeOutput(value.shape, 'float32'));
      addon.adamUpdate(heapOf(backend), new Float64Array([
        value.shape.reduce((x, y) => x * y, 1), a.lr, a.beta1, a.beta2, a.epsilon, a.c1, a.c2,
        offsetOf(backend, value), offsetOf(backend, grad), offsetOf(backend, m), offsetOf(backend, v),
        ...outs.map((t) => offsetOf(backend, t)), 1 - a.beta1, 1 - a.beta2,
      ]));
      return outs;
    },
  });
}

function adamPrototype(): { applyGradients: ApplyFn } {
  // The class, not an instance: constructing an optimizer creates tensors, which needs a started backend.
  return tf.AdamOptimizer.prototype as unknown as { applyGradients: ApplyFn };
}

export function patchAdam(addon: NativeAddon): string[] {
  registerKernel(addon);
  if (originalApply) return [ADAM_UPDATE];
  const original = (originalApply = adamPrototype().applyGradients);
  adamPrototype().applyGradients = function (this: AdamInternals, variableGradients) {
    if (tf.getBackend() !== NATIVE_BACKEND) return original.call(this, variableGradients);
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const registered = tf.engine().registeredVariables;
    tf.tidy(() => {
      // tfjs computes 1 - beta^t as a float32 tensor op; do the same so the bias correction matches bit for bit.
      const c1 = tf.sub(1, this.accBeta1).dataSync()[0];
      const c2 = tf.sub(1, this.accBeta2).dataSync()[0];
      names.forEach((name, i) => {
        const value = registered[name];
        this.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        this.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const grad = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (grad == null) return;
        const m = this.accumulatedFirstMoment[i]!.variable, v = this.accumulatedSecondMoment[i]!.variable;
        if (value.dtype !== 'float32' || grad.dtype !== 'float32') throw new Error(`native Adam: ${name} is not float32`);
        const [newValue, newM, newV] = tf.engine().runKernel(ADAM_UPDATE, { value, grad, m, v }, {
          lr: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, c1, c2,
        }) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
      this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
    });
    this.incrementIterations();
  };
  return [ADAM_UPDATE];
}

export function unpatchAdam(): void {
  if (!originalApply) return;
  adamPrototype().applyGradients = originalApply;
  originalApply = undefined;
}
