/**
 * Corrections to the stock tfjs 4.22 cpu backend for training.
 * ResizeNearestNeighborGrad (UpSampling2D's gradient) reads dy with the *input's* batch stride, so every
 * image after the first gets the wrong gradient when batch > 1. We replace it with a scatter that mirrors
 * the forward kernel's index rule exactly.
 * Conv2DBackpropFilter is a naive loop through TensorBuffer.get (a 32x32 ResUNet step took ~130 s of it);
 * ours walks x and dy once with the output channels innermost (contiguous), the same sums in a cache-friendly order.
 */
import * as tf from '@tensorflow/tfjs';

interface CpuBackend {
  data: { get(id: unknown): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
}

/** The source index the forward resize reads for output index i (tfjs cpu ResizeNearestNeighbor's rule). */
function sourceIndex(i: number, ratio: number, inSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const frac = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
  const s = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return halfPixelCenters ? Math.max(0, s) : s;
}

export function resizeNearestNeighborGradCpu(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as CpuBackend;
  const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
  const alignCorners = Boolean(args.attrs?.alignCorners);
  const halfPixelCenters = Boolean(args.attrs?.halfPixelCenters);
  const [batch, inH, inW, depth] = images.shape;
  const [, outH, outW] = dy.shape;
  const dyValues = backend.data.get(dy.dataId).values;
  const dx = new Float32Array(batch * inH * inW * depth);
  const ratio = (inSize: number, outSize: number) => ((alignCorners && outSize > 1 ? inSize - 1 : inSize) / (alignCorners && outSize > 1 ? outSize - 1 : outSize));
  const rows = Array.from({ length: outH }, (_, r) => sourceIndex(r, ratio(inH, outH), inH, alignCorners, halfPixelCenters));
  const cols = Array.from({ length: outW }, (_, c) => sourceIndex(c, ratio(inW, outW), inW, alignCorners, halfPixelCenters));
  let o = 0;
  for (let b = 0; b < batch; b++)
    for (let r = 0; r < outH; r++)
      for (let c = 0; c < outW; c++) {
        const base = ((b * inH + rows[r]) * inW + cols[c]) * depth;
        for (let d = 0; d < depth; d++) dx[base + d] += dyValues[o++];
      }
  return backend.makeTensorInfo(images.shape, images.dtype, dx);
}

/** dW[kh,kw,ci,co] = sum over b,oy,ox of x[b, oy*s+kh-top, ox*s+kw-left, ci] * dy[b,oy,ox,co] (NHWC, dilation 1). */
export function conv2dBackpropFilterCpu(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as CpuBackend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as { strides: [number, number] | number; pad: 'valid' | 'same' | number; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number] };
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (cpu fix): NCHW is not supported');
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad as 'same', attrs.dimRoundingMode, false, 'channelsLast');
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xv = backend.data.get(x.dataId).values;
  const dyv = backend.data.get(dy.dataId).values;
  const dw = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let b = 0; b < batchSize; b++)
    for (let oy = 0; oy < outHeight; oy++)
      for (let ox = 0; ox < outWidth; ox++) {
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * outChannels;
        for (let kh = 0; kh < filterHeight; kh++) {
          const iy = oy * strideHeight + kh - top;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const ix = ox * strideWidth + kw - left;
            if (ix < 0 || ix >= inWidth) continue;
            const xBase = ((b * inHeight + iy) * inWidth + ix) * inChannels;
            const wBase = (kh * filterWidth + kw) * inChannels * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const xval = xv[xBase + ci];
              if (xval === 0) continue; // ReLU outputs are often zero
              const w0 = wBase + ci * outChannels;
              for (let co = 0; co < outChannels; co++) dw[w0 + co] += xval * dyv[dyBase + co];
            }
          }
        }
      }
  return backend.makeTensorInfo(info.filterShape, 'float32', dw);
}

let registered = false;

export function registerCpuFixes(): void {
  if (registered) return;
  registered = true;
  tf.unregisterKernel(tf.ResizeNearestNeighborGrad, 'cpu');
  tf.registerKernel({ kernelName: tf.ResizeNearestNeighborGrad, backendName: 'cpu', kernelFunc: resizeNearestNeighborGradCpu as unknown as tf.KernelFunc });
  tf.unregisterKernel(tf.Conv2DBackpropFilter, 'cpu');
  tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: 'cpu', kernelFunc: conv2dBackpropFilterCpu as unknown as tf.KernelFunc });
}
