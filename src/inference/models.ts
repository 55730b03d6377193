/** Loading both models (with download progress) and their cards, and warming them up once. */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../core/constants';
import type { ModelCard } from '../core/card';
import type { TumorModels } from './analyze';
import type { LoadProgress, ModelUrls } from './types';
import { fetchWhole } from './fetch-whole';

async function fetchCard(modelUrl: string): Promise<ModelCard | null> {
  try {
    const res = await fetch(new URL('card.json', modelUrl).href);
    return res.ok ? ((await res.json()) as ModelCard) : null;
  } catch {
    return null;
  }
}

async function loadOne(url: string, name: LoadProgress['model'], onProgress: (p: LoadProgress) => void): Promise<tf.LayersModel> {
  try {
    return await tf.loadLayersModel(url, { fetchFunc: fetchWhole, onProgress: (fraction) => onProgress({ model: name, fraction }) });
  } catch (e) {
    throw new Error(`the ${name} model could not be loaded from ${url} (${(e as Error).message})`);
  }
}

export async function loadModels(urls: ModelUrls, onProgress: (p: LoadProgress) => void) {
  const [classifier, segmenter, classifierCard, segmenterCard] = await Promise.all([
    loadOne(urls.classifier, 'classifier', onProgress),
    loadOne(urls.segmenter, 'segmenter', onProgress),
    fetchCard(urls.classifier),
    fetchCard(urls.segmenter),
  ]);
  return { models: { classifier, segmenter } as TumorModels, cards: { classifier: classifierCard, segmenter: segmenterCard } };
}

/** One prediction per model so shader compilation and allocation happen before the user's first slice. */
export async function warmUp(models: TumorModels): Promise<void> {
  for (const model of [models.classifier, models.segmenter]) {
    const input = tf.zeros([1, IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS]);
    const output = model.predict(input) as tf.Tensor;
    await output.data();
    input.dispose();
    output.dispose();
  }
}
