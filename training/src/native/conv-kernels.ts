// Conv2D, FusedConv2D and both conv gradients on oneDNN. tfjs-layers' Conv2D calls FusedConv2D,
// and tfjs's FusedConv2D gradient calls Conv2DBackpropInput/Filter, so these four cover training.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { heapOf, offsetOf, type WasmBackendLike } from './heap.js';
import { delegate, overrideKernel } from './registry.js';

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

const ACTIVATION_CODES: Record<string, number> = { linear: 0, relu: 1, sigmoid: 2, relu6: 3, elu: 4, leakyrelu: 5 };

function geometry(c: ConvInfo): number[] {
  const p = c.padInfo;
  return [
    c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.filterHeight, c.filterWidth, c.outChannels,
    c.outHeight, c.outWidth, c.strideHeight, c.strideWidth, c.dilationHeight, c.dilationWidth,
    p.top, p.left, p.bottom, p.right,
  ];
}

function isNhwc(dataFormat: unknown): boolean {
  return dataFormat === undefined || dataFormat === 'NHWC' || dataFormat === 'channelsLast';
}

function emptyOrNot(info: ConvInfo): boolean {
  return [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outChannels, info.outHeight, info.outWidth]
    .some((d) => d === 0);
}

export function registerConvKernels(addon: NativeAddon): string[] {
  const forward = (
    backend: WasmBackendLike, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined,
    info: ConvInfo, activation: number, alpha: number,
  ): TensorInfo => {
    const out = backend.makeOutput(info.outShape, 'float32');
    if (emptyOrNot(info)) return out;
    const params = new Float64Array([
      ...geometry(info), offsetOf(backend, x), offsetOf(backend, filter), bias ? offsetOf(backend, bias) : -1,
      offsetOf(backend, out), activation, alpha,
    ]);
    addon.conv2dForward(heapOf(backend), params);
    return out;
  };

  overrideKernel(tf.Conv2D, (args, previous) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as tf.Conv2DAttrs;
    if (!isNhwc(dataFormat) || x.dtype !== 'float32') return delegate(previous, args, 'Conv2D supports NHWC float32 only');
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
      strides, dilations, pad, dimRoundingMode);
    return forward(args.backend as unknown as WasmBackendLike, x, filter, undefined, info, 0, 0);
  });

  overrideKernel(tf.FusedConv2D, (args, previous) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation, leakyreluAlpha } =
      args.attrs as unknown as tf.FusedConv2DAttrs;
    const code = ACTIVATION_CODES[activation ?? 'linear'];
    const plainBias = bias === undefined || (bias.shape.length === 1 && bias.shape[0] === filter!.shape[3]);
    if (!isNhwc(dataFormat) || code === undefined || preluActivationWeights || !plainBias || x!.dtype !== 'float32') {
      return delegate(previous, args, `FusedConv2D does not handle activation ${activation} / this bias`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x!.shape as [number, number, number, number], filter!.shape as [number, number, number, number],
      strides, dilations, pad, dimRoundingMode);
    return forward(args.backend as unknown as WasmBackendLike, x!, filter!, bias, info, code, leakyreluAlpha ?? 0);
  });

  overrideKernel(tf.Conv2DBackpropInput, (args, previous) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (!isNhwc(dataFormat)) return delegate(previous, args, 'Conv2DBackpropInput supports NHWC only');
    const backend = args.backend as unknown as WasmBackendLike;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
    const dx = backend.makeOutput(info.inShape, 'float32');
    if (emptyOrNot(info)) return zeroFill(backend, dx);
    const params = new Float64Array([...geometry(info), offsetOf(backend, dy), offsetOf(backend, filter), offsetOf(backend, dx)]);
    addon.conv2dBackwardData(heapOf(backend), params);
    return dx;
  });

  overrideKernel(tf.Conv2DBackpropFilter, (args, previous) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (!isNhwc(dataFormat)) return delegate(previous, args, 'Conv2DBackpropFilter supports NHWC only');
    const backend = args.backend as unknown as WasmBackendLike;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
    const dw = backend.makeOutput(filterShape, 'float32');
    if (emptyOrNot(info)) return zeroFill(backend, dw);
    const params = new Float64Array([...geometry(info), offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, dw)]);
    addon.conv2dBackwardWeights(heapOf(backend), params);
    return dw;
  });

  return [tf.Conv2D, tf.FusedConv2D, tf.Conv2DBackpropInput, tf.Conv2DBackpropFilter];
}

function zeroFill(backend: WasmBackendLike, t: TensorInfo): TensorInfo {
  const size = t.shape.reduce((a, b) => a * b, 1);
  new Float32Array(heapOf(backend).buffer, offsetOf(backend, t), size).fill(0);
  return t;
}
