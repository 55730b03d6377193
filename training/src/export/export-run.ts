/** Exports the best weights of a training run folder (written by train/) with the run's card. */
import { join } from 'node:path';
import type { ModelCard } from '../../../src/core/card';
import { exportModel, readCard } from './export-model';
import { loadModelFromDir } from './model-files';
import type { WeightDtype } from './quantize';

export interface ExportRunOptions {
  runDir: string;
  root: string;
  dtype?: WeightDtype;
  force?: boolean;
  /** Extra card fields (e.g. test metrics from the evaluation). */
  extra?: Partial<ModelCard>;
}

export async function exportRun(o: ExportRunOptions) {
  const card = readCard(o.runDir);
  if (!card) throw new Error(`${join(o.runDir, 'card.json')}: not a finished training run (no card.json)`);
  const model = await loadModelFromDir(join(o.runDir, 'best'));
  try {
    const { weights: _unused, ...rest } = card;
    void _unused;
    return await exportModel({ root: o.root, name: card.name, model, card: { ...rest, ...o.extra, date: new Date().toISOString() }, dtype: o.dtype, force: o.force });
  } finally {
    model.dispose();
  }
}
