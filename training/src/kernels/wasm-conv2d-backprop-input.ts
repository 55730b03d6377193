/**
 * Conv2DBackpropInput for wasm. The stock kernel is a direct loop; for stride 1 (every conv in both notebook
 * models) dx is a forward convolution of dy with the filter flipped in space and its channels swapped, which
 * the backend runs in XNNPACK. Other strides and dilations use the stock kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import { heapF32, runKernel, type TensorInfo, type WasmBackend } from './backend-access';
import { convInfoFor, type ConvAttrs } from './conv-geometry';
import { stockKernel } from './stock-kernels';

type Args = { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: WasmBackend; attrs: ConvAttrs & { inputShape: number[] } };

export function conv2dBackpropInputWasm(args: Args): TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  const info = convInfoFor(attrs.inputShape, filter.shape, attrs);
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co } = info;
  const padTop = kh - 1 - info.padInfo.top;
  const padLeft = kw - 1 - info.padInfo.left;
  const padBottom = info.inHeight - info.outHeight + kh - 1 - padTop;
  const padRight = info.inWidth - info.outWidth + kw - 1 - padLeft;
  const direct = info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1 &&
    Math.min(padTop, padLeft, padBottom, padRight) >= 0;
  if (!direct) {
    const stock = stockKernel('Conv2DBackpropInput', 'wasm');
    if (!stock) throw new Error('no stock wasm Conv2DBackpropInput to fall back to');
    return stock.kernelFunc(args as never) as TensorInfo;
  }

  const flipped = backend.makeOutput([kh, kw, co, ci], 'float32');
  const w = heapF32(backend, filter);
  const f = heapF32(backend, flipped);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      const src = ((kh - 1 - y) * kw + (kw - 1 - x)) * ci * co;
      const dst = (y * kw + x) * co * ci;
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) f[dst + o * ci + i] = w[src + i * co + o];
      }
    }
  }
  try {
    return runKernel('Conv2D', 'wasm', backend, { x: dy, filter: flipped }, {
      strides: 1, dilations: 1, dataFormat: 'NHWC',
      pad: [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]],
    });
  } finally {
    backend.disposeData(flipped.dataId);
  }
}

export const conv2dBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm as unknown as tf.KernelFunc,
};
