/**
 * Sum over leading axes on wasm (bias gradients: dy summed over batch, rows and columns). The stock kernel
 * first transposes the whole tensor so that the reduced axes are innermost; here the rows are accumulated in
 * place (float64 per output element). Other reductions use the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type TensorInfo, type WasmBackend } from './backend-access';
import { stockKernel } from './stock-kernels';

type Args = { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { axis: number | number[]; keepDims: boolean } };

let acc = new Float64Array(0);

export function sumWasm(args: Args): TensorInfo {
  const { inputs: { x }, backend, attrs } = args;
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (!leading || x.dtype !== 'float32') {
    const stock = stockKernel('Sum', 'wasm');
    if (!stock) throw new Error('no stock wasm Sum to fall back to');
    return stock.kernelFunc(args as never) as TensorInfo;
  }
  const inner = tf.util.sizeFromShape(x.shape.slice(axes.length));
  const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
  const outShape = attrs.keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
  const out = backend.makeOutput(outShape, 'float32');
  const values = heapF32(backend, x);
  if (acc.length < inner) acc = new Float64Array(inner);
  acc.fill(0, 0, inner);
  for (let r = 0, i = 0; r < rows; r++) for (let k = 0; k < inner; k++, i++) acc[k] += values[i];
  const result = heapF32(backend, out);
  for (let k = 0; k < inner; k++) result[k] = acc[k];
  return out;
}

export const sumWasmConfig: tf.KernelConfig = {
  kernelName: 'Sum',
  backendName: 'wasm',
  kernelFunc: sumWasm as unknown as tf.KernelFunc,
};
