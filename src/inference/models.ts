/**
 * Loading the models and their cards in two steps, so the download can run while the backend starts:
 * fetchModel needs no tfjs backend (bytes only), buildModel does (tensors). Then one warm-up run each.
 * Each model on its own, so the classifier still works when the segmenter cannot be loaded.
 */
import * as tf from './tf';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../core/constants';
import type { ModelCard } from '../core/card';
import { parseCombinedCard, type CombinedCard } from '../core/combined';
import type { TumorModels } from './analyze';
import type { ModelKey, LoadProgress, ModelUrls } from './types';
import { downloadMeter } from './download-size';
import { DownloadError, fetchWhole } from './fetch-whole';
import { loadForInference } from './fold-batch-norm';
import { architectureProblem, cardProblem, digestProblem, weightsDigest } from './model-checks';

type ModelName = ModelKey;

export interface FetchedModel {
  name: ModelName;
  url: string;
  artifacts: tf.io.ModelArtifacts;
  card: ModelCard | null;
  /** SHA-256 of the weights (null without Web Crypto): checked against the card here, and against combined.json. */
  sha256: string | null;
}

async function fetchCard(modelUrl: string): Promise<ModelCard | null> {
  try {
    const res = await fetch(new URL('card.json', modelUrl).href);
    return res.ok ? ((await res.json()) as ModelCard) : null;
  } catch {
    return null;
  }
}

const loadError = (name: ModelName, e: unknown) =>
  new Error(`the ${name} model could not be loaded (${(e as Error).message})${e instanceof DownloadError ? '; check the connection, then "Load the models again"' : ''}`);

/** One model's model.json, weight shards and card, as bytes. */
export async function fetchModel(name: ModelName, url: string, onProgress: (p: LoadProgress) => void): Promise<FetchedModel> {
  const card = fetchCard(url);
  // Each failure is kept here and tfjs gets an empty answer instead: the first failure, which names the file, is what
  // the user is told, and no rejected request is left unhandled in the page (as tfjs' own progress tracking left it).
  const failures: unknown[] = [];
  const meter = downloadMeter(name, onProgress);
  const fetchFunc = async (input: RequestInfo | URL, init?: RequestInit) => {
    try {
      const response = await fetchWhole(input, init, meter.received);
      // tfjs asks for model.json first, by the URL it was given: its manifest says how many bytes are to come.
      meter.fileDone(input === url ? await response.clone().arrayBuffer() : undefined);
      return response;
    } catch (e) {
      failures.push(e);
      return new Response(new ArrayBuffer(0), { status: 200 });
    }
  };
  try {
    const artifacts = await tf.io.http(url, { fetchFunc }).load!();
    if (failures.length) throw failures[0];
    const [ownCard, sha256] = await Promise.all([card, weightsDigest(artifacts.weightData)]);
    const problem = cardProblem(name, ownCard) ?? digestProblem(ownCard, sha256);
    if (problem) throw new Error(problem);
    return { name, url, artifacts, card: ownCard, sha256 };
  } catch (e) {
    throw loadError(name, failures[0] ?? e);
  }
}

/**
 * combined.json, or null with the reason: without it (or with a broken one) the classifier alone gives the
 * probability, which is still a working app, so this never throws.
 */
export async function fetchCombined(url: string): Promise<{ card: CombinedCard | null; note: string | null }> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    return { card: null, note: `the combined probability could not be loaded from ${url} (${(e as Error).message}); the classifier alone gives the probability` };
  }
  if (!res.ok) return { card: null, note: `no combined probability at ${url} (HTTP ${res.status}); the classifier alone gives the probability` };
  try {
    return { card: parseCombinedCard(await res.json(), url), note: null };
  } catch (e) {
    return { card: null, note: `${(e as Error).message}; the classifier alone gives the probability` };
  }
}

/** One model on the current backend, BN folded into the convs (fold-batch-norm.ts). */
export async function buildModel(fetched: FetchedModel): Promise<tf.LayersModel> {
  try {
    const { model, summary } = await loadForInference(fetched.artifacts);
    const problem = architectureProblem(fetched.name, { inputShape: model.inputs[0].shape, outputShape: model.outputs[0].shape, storedParams: summary.storedParams }, fetched.card);
    if (problem) {
      model.dispose();
      throw new Error(problem);
    }
    return model;
  } catch (e) {
    throw loadError(fetched.name, e);
  }
}

/** Why an optional model is missing ends with what the app does instead. */
const DRAWS_ALONE = 'the first segmenter draws the outline alone';

/** The second segmenter, or null with the reason: without it the first segmenter draws alone, so this never throws. */
export async function fetchOptionalModel(name: ModelName, url: string, onProgress: (p: LoadProgress) => void): Promise<{ fetched: FetchedModel | null; note: string | null }> {
  try {
    return { fetched: await fetchModel(name, url, onProgress), note: null };
  } catch (e) {
    return { fetched: null, note: `${(e as Error).message}; ${DRAWS_ALONE}` };
  }
}

/** A fetched optional model built, or null with the reason (a broken file must not stop the app). */
export async function buildOptionalModel(fetched: FetchedModel | null): Promise<{ model: tf.LayersModel | null; note: string | null }> {
  if (!fetched) return { model: null, note: null };
  try {
    return { model: await buildModel(fetched), note: null };
  } catch (e) {
    return { model: null, note: `${(e as Error).message}; ${DRAWS_ALONE}` };
  }
}

/** All models, fetched together and built the classifier first; and their cards. */
export async function loadModels(urls: ModelUrls, onProgress: (p: LoadProgress) => void) {
  const [classifier, segmenter, second] = await Promise.all([
    fetchModel('classifier', urls.classifier, onProgress),
    fetchModel('segmenter', urls.segmenter, onProgress),
    fetchOptionalModel('segmenter2', urls.segmenter2, onProgress),
  ]);
  const models: TumorModels = { classifier: await buildModel(classifier), segmenter: await buildModel(segmenter), segmenter2: (await buildOptionalModel(second.fetched)).model };
  return { models, cards: { classifier: classifier.card, segmenter: segmenter.card, segmenter2: second.fetched?.card ?? null } };
}

/**
 * One prediction per model so shader compilation, weight packing and allocation happen before the user's first
 * slice. Stops before the next model once `stop()` says a real slice is waiting: that slice warms the models itself.
 * Returns how many were warmed: all of them, or fewer when a slice arrived meanwhile (its analysis warms the rest).
 */
export async function warmUp(models: TumorModels, stop: () => boolean = () => false): Promise<number> {
  let warmed = 0;
  for (const model of [models.classifier, models.segmenter, models.segmenter2]) {
    if (!model) continue;
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
