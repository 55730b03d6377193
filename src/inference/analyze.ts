/**
 * Running the two models on slices: the one path used by the app's worker and by training's evaluation,
 * so both score exactly what the user sees. Pure tfjs, no DOM.
 */
import * as tf from './tf';
import { IMAGE_CHANNELS } from '../core/constants';
import type { RgbImage } from '../core/image';
import { classifierInput, segmenterInput } from '../core/preprocess';

/** What classify and segment use of a model; training's compare also passes ensemble and flip wrappers. */
export type Predictor = Pick<tf.LayersModel, 'predict'>;

export interface TumorModels {
  classifier: tf.LayersModel;
  segmenter: tf.LayersModel;
  /** The second segmenter, averaged with the first for the outline drawn (types.ts, ModelKey); null without one. */
  segmenter2: tf.LayersModel | null;
}

function batchOf(images: RgbImage[], toInput: (img: RgbImage) => Float32Array): tf.Tensor4D {
  const { width, height } = images[0];
  const size = width * height * IMAGE_CHANNELS;
  const buffer = new Float32Array(size * images.length);
  images.forEach((img, i) => {
    if (img.width !== width || img.height !== height) throw new Error('all images of a batch must have one size');
    buffer.set(toInput(img), i * size);
  });
  return tf.tensor4d(buffer, [images.length, height, width, IMAGE_CHANNELS]);
}

/** Tumor probability of each image (classifier, sigmoid output). */
export async function classify(model: Predictor, images: RgbImage[]): Promise<Float32Array> {
  const input = batchOf(images, classifierInput);
  const output = model.predict(input) as tf.Tensor;
  try {
    return (await output.data()) as Float32Array;
  } finally {
    input.dispose();
    output.dispose();
  }
}

/** Per-pixel tumor probability maps (segmenter, sigmoid output), one Float32Array of width*height per image. */
export async function segment(model: Predictor, images: RgbImage[]): Promise<Float32Array[]> {
  return (await segmentEach([model], images))[0];
}

/** The maps of several segmenters on the same images, `[model][image]`: the standardized input is built once for all. */
export async function segmentEach(models: Predictor[], images: RgbImage[]): Promise<Float32Array[][]> {
  const input = batchOf(images, segmenterInput);
  const n = images[0].width * images[0].height;
  try {
    const maps: Float32Array[][] = [];
    for (const model of models) {
      const output = model.predict(input) as tf.Tensor;
      try {
        const all = (await output.data()) as Float32Array;
        maps.push(images.map((_, i) => all.slice(i * n, (i + 1) * n)));
      } finally {
        output.dispose();
      }
    }
    return maps;
  } finally {
    input.dispose();
  }
}
