/**
 * What each model slot must hold, checked before the model is used. Without these checks a mis-copied folder (the
 * segmenter's files under classifier/) builds fine and gives a "probability" that is a mask's first pixel, and a
 * damaged shard, or a model.json beside shards of another version, gives plausible wrong numbers.
 */
import type { ModelCard } from '../core/card';
import type { CombinedCard } from '../core/combined';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../core/constants';
import * as tf from './tf';
import type { ModelKey } from './types';

/** The card's `name` each slot needs (the second segmenter is a segmenter). */
const CARD_NAME: Record<ModelKey, ModelCard['name']> = { classifier: 'classifier', segmenter: 'segmenter', segmenter2: 'segmenter' };
const INPUT_SHAPE = [null, IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS];
const MASK_SHAPE = [null, IMAGE_SIZE, IMAGE_SIZE, 1];
const OUTPUT_SHAPE: Record<ModelKey, (number | null)[]> = { classifier: [null, 1], segmenter: MASK_SHAPE, segmenter2: MASK_SHAPE };

/** Says what to do, after what went wrong: the files on the server are the problem, not the user's slice. */
const REDEPLOY = 'the model files are damaged or from two versions of the app; reload the page, and if this stays, the app must be deployed again';

const shape = (s: readonly (number | null)[]) => `[${s.map((d) => d ?? 'batch').join(', ')}]`;

/** A card that describes another model than the slot's. */
export function cardProblem(slot: ModelKey, card: ModelCard | null): string | null {
  if (card && card.name !== CARD_NAME[slot]) return `its card.json describes a ${card.name}, not a ${CARD_NAME[slot]}`;
  return null;
}

/** SHA-256 (hex) of the weights as tfjs loaded them (the shards in manifest order); null where the browser has no Web Crypto (an insecure origin). */
export async function weightsDigest(data: tf.io.WeightData | undefined): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', tf.io.CompositeArrayBuffer.join(data ?? [])));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Weights whose digest is not the one their card was written with. */
export function digestProblem(card: ModelCard | null, digest: string | null): string | null {
  const expected = card?.weights?.sha256;
  if (!expected || !digest || expected === digest) return null;
  return `its weights do not match its card.json (SHA-256 ${digest.slice(0, 12)}…, the card says ${expected.slice(0, 12)}…): ${REDEPLOY}`;
}

/** A built model whose input, output or size is not what the slot needs. */
export function architectureProblem(
  slot: ModelKey,
  built: { inputShape: readonly (number | null)[]; outputShape: readonly (number | null)[]; storedParams: number },
  card: ModelCard | null,
): string | null {
  if (shape(built.inputShape) !== shape(INPUT_SHAPE)) return `it takes ${shape(built.inputShape)}, not the ${shape(INPUT_SHAPE)} slices of the app: ${REDEPLOY}`;
  if (shape(built.outputShape) !== shape(OUTPUT_SHAPE[slot]))
    return `it gives ${shape(built.outputShape)} where a ${CARD_NAME[slot]} gives ${shape(OUTPUT_SHAPE[slot])}: ${REDEPLOY}`;
  if (card && card.params !== built.storedParams)
    return `it has ${built.storedParams.toLocaleString('en-US')} parameters where its card.json says ${card.params.toLocaleString('en-US')}: ${REDEPLOY}`;
  return null;
}

/**
 * combined.json's weights fit one classifier and one segmenter (named by their digests); with other weights its
 * probability means nothing, so the classifier alone decides. Unknown digests (no Web Crypto) are not a mismatch.
 */
export function combinedMismatch(card: CombinedCard, digests: { classifier: string | null; segmenter: string | null }): string | null {
  for (const name of ['classifier', 'segmenter'] as const) {
    const digest = digests[name];
    if (digest && card.models[name] !== digest) return `the combined probability was fitted for another ${name} than the one loaded; the classifier alone gives the probability`;
  }
  return null;
}
