/**
 * The training loader refuses what the app refuses (src/inference/model-checks.ts): evaluate, compare and
 * fit-combined must never score a models folder the app would not run.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../src/backend/ladder';
import { loadShippedModels } from '../../src/evaluate/models';
import { REPO } from '../helpers';

const MODELS = join(REPO, 'public/models');
const tmp = mkdtempSync(join(tmpdir(), 'lgg-models-'));

/** A copy of public/models with `folder` replaced by the files of `from` (all of them, or without its card). */
function copyWith(name: string, folder: string, from: string, withCard = true): string {
  const root = join(tmp, name);
  cpSync(MODELS, root, { recursive: true });
  rmSync(join(root, folder), { recursive: true });
  cpSync(join(MODELS, from), join(root, folder), { recursive: true, filter: (src) => withCard || !src.endsWith('card.json') });
  return root;
}

beforeAll(async () => {
  await chooseBackend('cpu', () => {});
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadShippedModels: the app checks', () => {
  it('loads the shipped folders', async () => {
    const loaded = await loadShippedModels(MODELS);
    expect(loaded.identity.classifier.name).toBe('classifier');
    expect(loaded.models.classifier.outputs[0].shape).toEqual([null, 1]);
    for (const m of [loaded.models.classifier, loaded.models.segmenter, loaded.models.segmenter2]) m?.dispose();
  });

  it("refuses the segmenter's files under classifier/, naming the folder and the card", async () => {
    const root = copyWith('segmenter-as-classifier', 'classifier', 'segmenter');
    await expect(loadShippedModels(root)).rejects.toThrow(`${join(root, 'classifier')}: its card.json describes a segmenter, not a classifier`);
  });

  it("refuses them without a card too: a segmenter's output is not a probability", async () => {
    const root = copyWith('segmenter-as-classifier-no-card', 'classifier', 'segmenter', false);
    await expect(loadShippedModels(root)).rejects.toThrow(/classifier: it gives \[batch, 256, 256, 1\] where a classifier gives \[batch, 1\]/);
  });

  it('checks segmenter-2 as well: the classifier copied there is refused', async () => {
    const root = copyWith('classifier-as-segmenter-2', 'segmenter-2', 'classifier');
    await expect(loadShippedModels(root)).rejects.toThrow(`${join(root, 'segmenter-2')}: its card.json describes a classifier, not a segmenter`);
  });
});
