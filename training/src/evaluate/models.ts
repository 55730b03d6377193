/** Loading the shipped models from disk with their cards, and what identifies them in a report. */
import { UsageError } from '../cli/run-cli';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCard, ModelName } from '../../../src/core/card';
import { parseCombinedCard, type CombinedCard } from '../../../src/core/combined';
import { COMBINED_FILE, MODEL_FOLDERS } from '../../../src/core/model-files';
import type { TumorModels } from '../../../src/inference/analyze';
import { loadForInference } from '../../../src/inference/fold-batch-norm';
import { architectureProblem, cardProblem, digestProblem } from '../../../src/inference/model-checks';
import type { ModelKey } from '../../../src/inference/types';
import { modelArtifactsFromDir, modelFolder, shardsDigest } from '../export/model-files';
import { describeStorage } from '../export/quantize';

export interface ModelIdentity {
  name: ModelName;
  dir: string;
  /** From card.json; null when the folder has no card. */
  trained: boolean | null;
  date: string | null;
  params: number;
  input_shape: (number | null)[];
  weights_dtype: string | null;
  weights_bytes: number;
  /** sha256 of the weight shards in manifest order: two reports with the same hash scored the same weights. */
  weights_sha256: string;
}

export interface LoadedModels {
  models: TumorModels;
  cards: Partial<Record<ModelName, ModelCard>>;
  identity: Record<ModelName, ModelIdentity>;
  /** `<root>/segmenter-2` (the outline's second segmenter, see src/inference/types.ts), null when there is none. */
  segmenter2: { card: ModelCard | null; identity: ModelIdentity } | null;
  /** `<root>/combined.json`, null when there is none (or it was not asked for). */
  combined: CombinedCard | null;
}

/** A JSON file's content, or undefined when there is no such file; a broken one is named. */
function readJsonIfPresent(path: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

const readCard = (dir: string) => readJsonIfPresent(join(dir, 'card.json')) as ModelCard | undefined;

/**
 * One slot's folder, refused on the app's own checks (src/inference/model-checks.ts: card name, weights digest,
 * input/output shape and parameter count): scoring a folder the app refuses would report on weights nobody ships.
 */
async function loadOne(root: string, slot: ModelKey) {
  const name: ModelName = slot === 'segmenter2' ? 'segmenter' : slot;
  // `<folder>.old` when a kill interrupted an export's folder swap: card, shards and hash from the same folder.
  const dir = modelFolder(join(root, MODEL_FOLDERS[slot]));
  const artifacts = modelArtifactsFromDir(dir);
  const card = readCard(dir);
  const { sha256, bytes } = shardsDigest(dir);
  const problem = cardProblem(slot, card ?? null) ?? digestProblem(card ?? null, sha256);
  if (problem) throw new Error(`${dir}: ${problem}`);
  // The app's load path: BN folded into the convs, so the report scores exactly what the app computes.
  const { model, summary } = await loadForInference(artifacts);
  const built = architectureProblem(slot, { inputShape: model.inputs[0].shape, outputShape: model.outputs[0].shape, storedParams: summary.storedParams }, card ?? null);
  if (built) {
    model.dispose();
    throw new Error(`${dir}: ${built}`);
  }
  const identity: ModelIdentity = {
    name,
    dir,
    trained: card?.trained ?? null,
    date: card?.date ?? null,
    params: summary.storedParams,
    input_shape: model.inputs[0].shape.slice(1),
    weights_dtype: card ? describeStorage(card.weights) : null,
    weights_bytes: bytes,
    weights_sha256: sha256,
  };
  return { model, card, identity };
}

/** Reads `<root>/combined.json` if there is one; throws when it was fitted for other weights than these. */
export function readCombinedCard(root: string, identity: Record<ModelName, ModelIdentity>): CombinedCard | null {
  const path = join(root, COMBINED_FILE);
  const json = readJsonIfPresent(path);
  if (json === undefined) return null;
  const card = parseCombinedCard(json, path);
  for (const name of ['classifier', 'segmenter'] as const)
    if (card.models[name] !== identity[name].weights_sha256)
      throw new Error(`${path} was fitted for other ${name} weights than ${identity[name].dir} holds: run \`npm run fit-combined -- --data DIR\` again (or delete it to score the classifier alone)`);
  return card;
}

/**
 * Loads `<root>/classifier` and `<root>/segmenter` (model.json + shards + card.json), as exported by training,
 * `<root>/segmenter-2` when there is one, and the combined probability's weights beside them unless `withCombined`
 * is false (when they are being fitted).
 */
export async function loadShippedModels(root: string, withCombined = true): Promise<LoadedModels> {
  if (!existsSync(join(root, 'classifier'))) throw new UsageError(`--models ${root}: no classifier/ folder there (a folder of exported models, like public/models)`);
  const c = await loadOne(root, 'classifier');
  const s = await loadOne(root, 'segmenter');
  const s2 = existsSync(join(modelFolder(join(root, MODEL_FOLDERS.segmenter2)), 'model.json')) ? await loadOne(root, 'segmenter2') : null;
  const identity = { classifier: c.identity, segmenter: s.identity };
  return {
    models: { classifier: c.model, segmenter: s.model, segmenter2: s2?.model ?? null },
    cards: { classifier: c.card, segmenter: s.card },
    identity,
    segmenter2: s2 && { card: s2.card ?? null, identity: s2.identity },
    combined: withCombined ? readCombinedCard(root, identity) : null,
  };
}
