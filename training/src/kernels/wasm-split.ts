/**
 * SplitV for wasm (Concatenate's gradient). The stock kernel slices each part through Slice, which first
 * copies the whole input out of the heap and then gathers element by element in JS. Here each part is a set
 * of contiguous runs copied inside the heap.
 */
import * as tf from '@tensorflow/tfjs';
import { heapBuffer, type TensorInfo, type WasmBackend } from './backend-access';

type Args = { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { numOrSizeSplits: number | number[]; axis: number } };

export function splitVWasm({ inputs: { x }, backend, attrs }: Args): TensorInfo[] {
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits, axis);
  const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const inner = tf.util.sizeFromShape(x.shape.slice(axis + 1));
  const rowLength = x.shape[axis] * inner;
  const outs = sizes.map((s) => backend.makeOutput(x.shape.map((d, i) => (i === axis ? s : d)), x.dtype));
  const heap = x.dtype === 'float32' || x.dtype === 'int32' ? new Float32Array(heapBuffer(backend)) : null;
  if (!heap) throw new Error(`SplitV: unsupported dtype ${x.dtype}`);
  const src0 = backend.dataIdMap.get(x.dataId).memoryOffset / 4;
  let begin = 0;
  sizes.forEach((s, part) => {
    const run = s * inner;
    const dst0 = backend.dataIdMap.get(outs[part].dataId).memoryOffset / 4;
    if (run >= 32) {
      for (let o = 0; o < outer; o++) heap.copyWithin(dst0 + o * run, src0 + o * rowLength + begin, src0 + o * rowLength + begin + run);
    } else {
      for (let o = 0; o < outer; o++) {
        const src = src0 + o * rowLength + begin, dst = dst0 + o * run;
        for (let i = 0; i < run; i++) heap[dst + i] = heap[src + i];
      }
    }
    begin += run;
  });
  return outs;
}

export const splitVWasmConfig: tf.KernelConfig = {
  kernelName: 'SplitV',
  backendName: 'wasm',
  kernelFunc: splitVWasm as unknown as tf.KernelFunc,
};
