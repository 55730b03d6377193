/**
 * Loading both models and their cards in two steps, so the download can run while the backend starts:
 * fetchModels needs no tfjs backend (bytes only), buildModels does (tensors). Then one warm-up run each.
 */
import * as tf from './tf';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../core/constants';
import type { ModelCard } from '../core/card';
import type { TumorModels } from './analyze';
import type { LoadProgress, ModelUrls } from './types';
import { fetchWhole } from './fetch-whole';
import { loadForInference } from './fold-batch-norm';

type ModelName = LoadProgress['model'];

export interface FetchedModels {
  urls: ModelUrls;
  artifacts: Record<ModelName, tf.io.ModelArtifacts>;
  cards: Record<ModelName, ModelCard | null>;
}

async function fetchCard(modelUrl: string): Promise<ModelCard | null> {
  try {
    const res = await fetch(new URL('card.json', modelUrl).href);
    return res.ok ? ((await res.json()) as ModelCard) : null;
  } catch {
    return null;
  }
}

const loadError = (name: ModelName, url: string, e: unknown) => new Error(`the ${name} model could not be loaded from ${url} (${(e as Error).message})`);

async function fetchArtifacts(url: string, name: ModelName, onProgress: (p: LoadProgress) => void): Promise<tf.io.ModelArtifacts> {
  try {
    return await tf.io.http(url, { fetchFunc: fetchWhole, onProgress: (fraction) => onProgress({ model: name, fraction }) }).load!();
  } catch (e) {
    throw loadError(name, url, e);
  }
}

/** model.json, weight shards and card of both models, as bytes. */
export async function fetchModels(urls: ModelUrls, onProgress: (p: LoadProgress) => void): Promise<FetchedModels> {
  const [classifier, segmenter, classifierCard, segmenterCard] = await Promise.all([
    fetchArtifacts(urls.classifier, 'classifier', onProgress),
    fetchArtifacts(urls.segmenter, 'segmenter', onProgress),
    fetchCard(urls.classifier),
    fetchCard(urls.segmenter),
  ]);
  return { urls, artifacts: { classifier, segmenter }, cards: { classifier: classifierCard, segmenter: segmenterCard } };
}

/** One model on the current backend, BN folded into the convs (fold-batch-norm.ts). */
export async function buildModel(fetched: FetchedModels, name: ModelName): Promise<tf.LayersModel> {
  try {
    return (await loadForInference(fetched.artifacts[name])).model;
  } catch (e) {
    throw loadError(name, fetched.urls[name], e);
  }
}

/** Both models, the classifier first. */
export async function buildModels(fetched: FetchedModels): Promise<TumorModels> {
  const classifier = await buildModel(fetched, 'classifier');
  return { classifier, segmenter: await buildModel(fetched, 'segmenter') };
}

export async function loadModels(urls: ModelUrls, onProgress: (p: LoadProgress) => void) {
  const fetched = await fetchModels(urls, onProgress);
  return { models: await buildModels(fetched), cards: fetched.cards };
}

/**
 * One prediction per model so shader compilation, weight packing and allocation happen before the user's first
 * slice. Stops before the next model once `stop()` says a real slice is waiting: that slice warms the models itself.
 * Returns how many were warmed: 2, or 1 when a slice arrived after the classifier's run (its analysis warms the segmenter).
 */
export async function warmUp(models: TumorModels, stop: () => boolean = () => false): Promise<number> {
  let warmed = 0;
  for (const model of [models.classifier, models.segmenter]) {
    if (stop()) return warmed;
    const input = tf.zeros([1, IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS]);
    const output = model.predict(input) as tf.Tensor;
    await output.data();
    input.dispose();
    output.dispose();
    warmed++;
  }
  return warmed;
}
