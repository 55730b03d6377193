/**
 * Batch normalization in training mode as one kernel pair (wasm and cpu), with its own gradient.
 * tfjs-layers builds it from moments + batchNorm, and the autodiff of that chain costs ~20 full-size ops per
 * layer (Tile, Sum, Mean, Multiply...): the largest share of a wasm training step before this. Here the
 * forward is three passes over x and the backward two passes over x and dy (float64 per-channel sums).
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type CpuBackend, type TensorInfo, type WasmBackend } from './backend-access';

export const BATCH_NORM_TRAIN = 'LggBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'LggBatchNormTrainGrad';

/** y = gamma * (x - mean) / sqrt(variance + epsilon) + beta per channel (last axis), batch statistics, biased variance. */
export function batchNormForward(x: Float32Array, gamma: Float32Array, beta: Float32Array, epsilon: number,
  y: Float32Array, mean: Float32Array, variance: Float32Array): void {
  const c = gamma.length, m = x.length / c;
  const acc = new Float64Array(c);
  for (let i = 0; i < x.length;) for (let k = 0; k < c; k++, i++) acc[k] += x[i];
  const mu = acc.map((s) => s / m);
  acc.fill(0);
  for (let i = 0; i < x.length;) for (let k = 0; k < c; k++, i++) { const d = x[i] - mu[k]; acc[k] += d * d; }
  const scale = new Float64Array(c), shift = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    variance[k] = acc[k] / m;
    mean[k] = mu[k];
    scale[k] = gamma[k] / Math.sqrt(acc[k] / m + epsilon);
    shift[k] = beta[k] - mu[k] * scale[k];
  }
  for (let i = 0; i < x.length;) for (let k = 0; k < c; k++, i++) y[i] = x[i] * scale[k] + shift[k];
}

/** The full gradient (through the batch mean and variance): dx = A*dy + B*x + C per channel. */
export function batchNormBackward(dy: Float32Array, x: Float32Array, gamma: Float32Array, mean: Float32Array, variance: Float32Array,
  epsilon: number, dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array): void {
  const c = gamma.length, m = x.length / c;
  const invStd = new Float64Array(c);
  for (let k = 0; k < c; k++) invStd[k] = 1 / Math.sqrt(variance[k] + epsilon);
  const sumDy = new Float64Array(c), sumDyXc = new Float64Array(c);
  for (let i = 0; i < x.length;) for (let k = 0; k < c; k++, i++) { sumDy[k] += dy[i]; sumDyXc[k] += dy[i] * (x[i] - mean[k]); }
  const a = new Float64Array(c), b = new Float64Array(c), cc = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    const dg = sumDyXc[k] * invStd[k];
    dgamma[k] = dg;
    dbeta[k] = sumDy[k];
    a[k] = gamma[k] * invStd[k];
    b[k] = (-gamma[k] * invStd[k] * invStd[k] * dg) / m;
    cc[k] = (-gamma[k] * invStd[k] * sumDy[k]) / m - b[k] * mean[k];
  }
  for (let i = 0; i < x.length;) for (let k = 0; k < c; k++, i++) dx[i] = a[k] * dy[i] + b[k] * x[i] + cc[k];
}

type Inputs = Record<string, TensorInfo>;
type Attrs = { epsilon: number };

/** Float32 views and output allocation for the two backends, so the math above serves both. */
function viewsFor(backend: unknown, backendName: string) {
  if (backendName === 'wasm') {
    const wasm = backend as WasmBackend;
    return {
      make: (shape: number[]) => wasm.makeOutput(shape, 'float32'),
      view: (t: TensorInfo) => heapF32(wasm, t),
      finish: (outs: TensorInfo[]) => outs,
    };
  }
  const cpu = backend as CpuBackend;
  const fresh = new Map<TensorInfo, Float32Array>();
  return {
    make: (shape: number[]) => {
      const info: TensorInfo = { dataId: {}, shape, dtype: 'float32' };
      fresh.set(info, new Float32Array(tf.util.sizeFromShape(shape)));
      return info;
    },
    view: (t: TensorInfo) => fresh.get(t) ?? cpu.data.get(t.dataId).values,
    finish: (outs: TensorInfo[]) => outs.map((o) => cpu.makeTensorInfo(o.shape, 'float32', fresh.get(o)!)),
  };
}

function forwardKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: BATCH_NORM_TRAIN, backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, gamma, beta } = inputs as Inputs;
      const io = viewsFor(backend, backendName);
      const c = x.shape[x.shape.length - 1];
      const outs = [io.make(x.shape), io.make([c]), io.make([c])];
      const [y, mean, variance] = outs.map(io.view); // views after every allocation: the wasm heap may have grown
      batchNormForward(io.view(x), io.view(gamma), io.view(beta), (attrs as unknown as Attrs).epsilon, y, mean, variance);
      return io.finish(outs);
    },
  };
}

function backwardKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: BATCH_NORM_TRAIN_GRAD, backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, gamma, mean, variance } = inputs as Inputs;
      const io = viewsFor(backend, backendName);
      const c = x.shape[x.shape.length - 1];
      const outs = [io.make(x.shape), io.make([c]), io.make([c])];
      const [dx, dgamma, dbeta] = outs.map(io.view);
      batchNormBackward(io.view(dy), io.view(x), io.view(gamma), io.view(mean), io.view(variance),
        (attrs as unknown as Attrs).epsilon, dx, dgamma, dbeta);
      return io.finish(outs);
    },
  };
}

export const BATCH_NORM_KERNELS = ['wasm', 'cpu'].flatMap((b) => [forwardKernel(b), backwardKernel(b)]);

let gradientRegistered = false;

export function registerBatchNormGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAIN,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const dy = Array.isArray(dys) ? dys[0] : dys;
      const [x, gamma, mean, variance] = saved;
      const [dx, dgamma, dbeta] = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy, x, gamma, mean, variance }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  });
}

/** Training-mode batch norm over the last axis: normalized output plus the batch mean and (biased) variance. */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { epsilon }) as tf.Tensor[];
  return { y, mean, variance };
}
