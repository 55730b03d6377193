// Element-wise kernels on both cores: Add/Sub/Multiply/RealDiv for equal shapes or a scalar operand (other
// broadcasts go to wasm), Step, Relu, and ReLU's gradient as one kernel instead of tfjs's Step + Cast + Multiply.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { heapOf, offsetOf, type WasmBackendLike } from './heap.js';
import { delegate, NATIVE_BACKEND, overrideKernel } from './registry.js';

export const RELU_GRAD = 'LggNativeReluGrad';
const size = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

function binary(addon: NativeAddon, code: number, name: string) {
  return (args: Parameters<tf.KernelFunc>[0], previous: tf.KernelFunc | undefined) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return delegate(previous, args, `${name} handles float32 only`);
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const n = outShape.reduce((x, y) => x * y, 1);
    const aScalar = size(a) === 1 && n !== 1, bScalar = size(b) === 1;
    if (n === 0 || (!aScalar && size(a) !== n) || (!bScalar && size(b) !== n)) {
      return delegate(previous, args, `${name} handles equal shapes or a scalar operand only`);
    }
    const backend = args.backend as unknown as WasmBackendLike;
    const out = backend.makeOutput(outShape, 'float32');
    addon.binaryOp(heapOf(backend), new Float64Array([
      code, n, offsetOf(backend, a), aScalar ? 1 : 0, offsetOf(backend, b), bScalar && !aScalar ? 1 : 0, offsetOf(backend, out),
    ]));
    return out;
  };
}

let reluGradRegistered = false;
let originalReluGrad: tf.GradConfig | undefined;

export function registerEltwiseKernels(addon: NativeAddon): string[] {
  overrideKernel(tf.Add, binary(addon, 0, 'Add'));
  overrideKernel(tf.Sub, binary(addon, 1, 'Sub'));
  overrideKernel(tf.Multiply, binary(addon, 2, 'Multiply'));
  overrideKernel(tf.RealDiv, binary(addon, 3, 'RealDiv'));
  overrideKernel(tf.Step, (args, previous) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype !== 'float32' || size(x) === 0) return delegate(previous, args, 'Step handles float32 only');
    const backend = args.backend as unknown as WasmBackendLike;
    const out = backend.makeOutput(x.shape, 'float32');
    const alpha = (args.attrs as unknown as tf.StepAttrs).alpha ?? 0;
    addon.step(heapOf(backend), new Float64Array([size(x), alpha, offsetOf(backend, x), offsetOf(backend, out)]));
    return out;
  });
  // wasm's own Relu runs on one core.
  overrideKernel(tf.Relu, (args, previous) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype !== 'float32' || size(x) === 0) return delegate(previous, args, 'Relu handles float32 only');
    const backend = args.backend as unknown as WasmBackendLike;
    const out = backend.makeOutput(x.shape, 'float32');
    addon.relu(heapOf(backend), new Float64Array([size(x), offsetOf(backend, x), offsetOf(backend, out)]));
    return out;
  });
  if (!reluGradRegistered) {
    reluGradRegistered = true;
    tf.registerKernel({
      kernelName: RELU_GRAD,
      backendName: NATIVE_BACKEND,
      kernelFunc: ({ inputs, backend: b }) => {
        const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
        const backend = b as unknown as WasmBackendLike;
        const out = backend.makeOutput(x.shape, 'float32');
        addon.reluGrad(heapOf(backend), new Float64Array([size(x), offsetOf(backend, dy), offsetOf(backend, x), offsetOf(backend, out)]));
        return out;
      },
    });
  }
  patchReluGradient();
  return [tf.Add, tf.Sub, tf.Multiply, tf.RealDiv, tf.Step, tf.Relu, RELU_GRAD];
}

/** Relu's gradient is global (all backends): use the native kernel only while wasm is the backend. */
function patchReluGradient(): void {
  if (originalReluGrad) return;
  const original = (originalReluGrad = tf.getGradient(tf.Relu));
  if (!original) throw new Error('tfjs has no Relu gradient registered');
  tf.registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0];
      if (tf.getBackend() !== NATIVE_BACKEND || x.dtype !== 'float32' || Array.isArray(dy)) return original.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(RELU_GRAD, { dy, x }) as tf.Tensor };
    },
  });
}

export function unpatchReluGradient(): void {
  if (!originalReluGrad) return;
  tf.registerGradient(originalReluGrad);
  originalReluGrad = undefined;
}
