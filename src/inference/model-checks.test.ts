// The checks a slot's files must pass before the app runs them, on the shipped files themselves.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../core/card';
import type { CombinedCard } from '../core/combined';
import { architectureProblem, cardProblem, combinedMismatch, digestProblem, weightsDigest } from './model-checks';

const MODELS = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/models');
const card = (folder: string) => JSON.parse(readFileSync(join(MODELS, folder, 'card.json'), 'utf8')) as ModelCard;
const combined = JSON.parse(readFileSync(join(MODELS, 'combined.json'), 'utf8')) as CombinedCard;
/** The shards as tfjs hands them over: one ArrayBuffer per shard, in manifest order. */
function shards(folder: string): ArrayBuffer[] {
  const json = JSON.parse(readFileSync(join(MODELS, folder, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  return json.weightsManifest.flatMap((g) => g.paths).map((p) => {
    const b = readFileSync(join(MODELS, folder, p));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  });
}

describe('weight digests', () => {
  it("the shipped shards' digest is the one each card and combined.json name, whether tfjs gives one buffer or several", async () => {
    for (const folder of ['classifier', 'segmenter', 'segmenter-2']) {
      const digest = await weightsDigest(shards(folder));
      expect(digest).toBe(card(folder).weights.sha256);
      expect(digestProblem(card(folder), digest)).toBeNull();
    }
    const whole = Buffer.concat(shards('classifier').map((p) => new Uint8Array(p)));
    expect(await weightsDigest(whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength))).toBe(combined.models.classifier);
    expect(await weightsDigest(shards('segmenter'))).toBe(combined.models.segmenter);
  });

  it('one changed byte is named as weights that do not match the card', async () => {
    const parts = shards('segmenter');
    new Uint8Array(parts[0])[1000] ^= 0xff;
    expect(digestProblem(card('segmenter'), await weightsDigest(parts))).toMatch(/^its weights do not match its card\.json .*reload the page/);
  });

  it('a card without a digest (written before them), or no Web Crypto, is not a mismatch', () => {
    const { sha256: _, ...weights } = card('classifier').weights;
    expect(digestProblem({ ...card('classifier'), weights }, 'ab'.repeat(32))).toBeNull();
    expect(digestProblem(card('classifier'), null)).toBeNull();
  });
});

describe('what each slot holds', () => {
  it("a segmenter's card in the classifier slot is refused; the second segmenter's card is a segmenter's", () => {
    expect(cardProblem('classifier', card('segmenter'))).toBe('its card.json describes a segmenter, not a classifier');
    expect(cardProblem('segmenter2', card('segmenter-2'))).toBeNull();
    expect(cardProblem('segmenter', card('classifier'))).toBe('its card.json describes a classifier, not a segmenter');
    expect(cardProblem('classifier', null)).toBeNull();
  });

  it('input and output shapes and the stored parameter count must be what the slot and card say', () => {
    const classifier = { inputShape: [null, 256, 256, 3], outputShape: [null, 1], storedParams: 8_880_897 };
    const segmenter = { inputShape: [null, 256, 256, 3], outputShape: [null, 256, 256, 1], storedParams: 1_210_513 };
    expect(architectureProblem('classifier', classifier, card('classifier'))).toBeNull();
    expect(architectureProblem('segmenter2', segmenter, card('segmenter-2'))).toBeNull();
    expect(architectureProblem('classifier', segmenter, card('classifier'))).toMatch(/^it gives \[batch, 256, 256, 1\] where a classifier gives \[batch, 1\]/);
    expect(architectureProblem('segmenter', { ...segmenter, inputShape: [null, 128, 128, 3] }, null)).toMatch(/^it takes \[batch, 128, 128, 3\], not the \[batch, 256, 256, 3\]/);
    expect(architectureProblem('classifier', { ...classifier, storedParams: 8_880_896 }, card('classifier'))).toMatch(/^it has 8,880,896 parameters where its card\.json says 8,880,897/);
  });

  it('combined.json is used only with the weights it was fitted for', () => {
    expect(combinedMismatch(combined, { classifier: combined.models.classifier, segmenter: combined.models.segmenter })).toBeNull();
    expect(combinedMismatch(combined, { classifier: combined.models.classifier, segmenter: 'ff'.repeat(32) })).toMatch(/fitted for another segmenter/);
    expect(combinedMismatch(combined, { classifier: null, segmenter: null })).toBeNull();
  });
});
