/**
 * Stores an exported model folder again in another weight form (e.g. a float16 export as `mixed`), keeping its card
 * (less its test metrics, which belong to the bytes they were measured on):
 * the way to shrink shipped weights whose training run is no longer at hand. The weights are read as the app reads
 * them (dequantized), so going down from float16 to uint8 adds only the uint8 rounding; going up adds nothing.
 */
import { basename, join } from 'node:path';
import { exportModel, readCard } from './export-model';
import { loadModelFromDir, modelFolder } from './model-files';
import type { WeightDtype } from './quantize';

export interface RestoreOptions {
  /** The exported folder (model.json, shards, card.json). */
  from: string;
  root: string;
  /** The folder under root; default: `from`'s own folder name (so a `segmenter-2` stays one). */
  folder?: string;
  dtype: WeightDtype;
  uint8MinElements?: number;
  force?: boolean;
}

export async function restoreModel(o: RestoreOptions) {
  const card = readCard(modelFolder(o.from));
  if (!card) throw new Error(`${join(o.from, 'card.json')}: no card.json, not an exported model folder`);
  const model = await loadModelFromDir(o.from);
  try {
    // The test metrics were measured on the other stored form; `npm run evaluate -- --write-cards` writes this one's.
    const { weights, metrics: _measuredOnOtherBytes, ...rest } = card;
    void _measuredOnOtherBytes;
    const restoredFrom = weights.restoredFrom ?? (weights.dtype === 'float32' ? undefined : weights.dtype);
    return await exportModel({ root: o.root, name: card.name, model, card: { ...rest, date: new Date().toISOString() }, dtype: o.dtype, uint8MinElements: o.uint8MinElements, restoredFrom, force: o.force, folder: o.folder ?? basename(o.from) });
  } finally {
    model.dispose();
  }
}
