/**
 * Writes one model + card.json into `<root>/<name>/` (or `<root>/<folder>/`), refusing to replace a trained export unless
 * forced. Weights and card are swapped in together (model-files.ts), so a kill never leaves new weights under the old card.
 */
import type * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCard, ModelName } from '../../../src/core/card';
import { isPlainFolderName } from '../cli/flags';
import { modelFolder, saveModelToDir, type SavedModelInfo } from './model-files';
import { MIXED_UINT8_MIN_ELEMENTS, type WeightDtype } from './quantize';

export function readCard(dir: string): ModelCard | null {
  const p = join(dir, 'card.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as ModelCard) : null;
}

export interface ExportOptions {
  root: string;
  name: ModelName;
  model: tf.LayersModel;
  /** Everything but `weights` (filled from what was written). */
  card: Omit<ModelCard, 'weights'>;
  dtype?: WeightDtype;
  /** `mixed` only: tensors with at least this many elements are stored uint8 (default MIXED_UINT8_MIN_ELEMENTS). */
  uint8MinElements?: number;
  /** The stored form the model's weights were read from when not float32 (a re-stored export), for the card. */
  restoredFrom?: string;
  force?: boolean;
  /** The folder under root when it is not the model's name: `segmenter-2` for the app's second segmenter. */
  folder?: string;
}

export async function exportModel(o: ExportOptions): Promise<{ dir: string; card: ModelCard }> {
  if (o.folder !== undefined && !isPlainFolderName(o.folder)) throw new Error(`export folder '${o.folder}' is not a plain folder name: it would be written outside ${o.root}`);
  const dir = join(o.root, o.folder ?? o.name);
  const existing = readCard(modelFolder(dir));
  if (existing?.trained && !o.force)
    throw new Error(`${join(dir, 'card.json')}: a trained ${o.name} is already exported there (${existing.date}); pass --force to replace it`);
  const dtype = o.dtype ?? 'float32';
  const uint8MinElements = dtype === 'mixed' ? (o.uint8MinElements ?? MIXED_UINT8_MIN_ELEMENTS) : undefined;
  const cardFor = ({ bytes, sha256 }: SavedModelInfo): ModelCard => ({
    ...o.card,
    weights: { dtype, bytes, sha256, ...(uint8MinElements ? { uint8MinElements } : {}), ...(o.restoredFrom ? { restoredFrom: o.restoredFrom } : {}) },
  });
  const saved = await saveModelToDir(o.model, dir, dtype, { uint8MinElements }, (info) => ({ 'card.json': JSON.stringify(cardFor(info), null, 2) + '\n' }));
  return { dir, card: cardFor(saved) };
}
