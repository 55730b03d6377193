/**
 * `--write-cards`: record an evaluation's test metrics in the shipped cards, so the app shows what was measured.
 * Only for a trained model, and only when the run scored exactly that card's test patients: metrics on any
 * other set of patients would mislabel what the card claims.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCard, ModelName } from '../../../src/core/card';
import type { CombinedCard } from '../../../src/core/combined';
import { COMBINED_FILE, MODEL_FOLDERS } from '../../../src/core/model-files';
import { writeFileAtomic } from '../export/atomic';
import { cardTestMetrics, sameSet } from './card-check';

type Metrics = Parameters<typeof cardTestMetrics>[0];

export function writeTestMetricsToCards(m: Metrics, modelsDir: string, scoredPatients: string[]): string[] {
  const metrics = cardTestMetrics(m);
  const written: string[] = [];
  for (const name of ['classifier', 'segmenter'] as ModelName[]) {
    const path = join(modelsDir, MODEL_FOLDERS[name], 'card.json');
    const card = JSON.parse(readFileSync(path, 'utf8')) as ModelCard;
    const testPatients = card.data?.patients.test;
    if (!card.trained || !testPatients) continue;
    if (!sameSet(testPatients, scoredPatients)) continue;
    card.metrics = { test: metrics[name] };
    writeFileAtomic(path, JSON.stringify(card, null, 2) + '\n');
    written.push(path);
  }
  // The second segmenter's card holds the outline's metrics (the mean of both maps), on its own test patients.
  const outlinePath = join(modelsDir, MODEL_FOLDERS.segmenter2, 'card.json');
  if (metrics.outline && existsSync(outlinePath)) {
    const card = JSON.parse(readFileSync(outlinePath, 'utf8')) as ModelCard;
    const testPatients = card.data?.patients.test;
    if (card.trained && testPatients && sameSet(testPatients, scoredPatients)) {
      card.metrics = { test: metrics.outline };
      writeFileAtomic(outlinePath, JSON.stringify(card, null, 2) + '\n');
      written.push(outlinePath);
    }
  }
  // The combined probability is scored on the classifier's test patients: written when the classifier's card was.
  const combinedPath = join(modelsDir, COMBINED_FILE);
  if (metrics.combined && written.includes(join(modelsDir, MODEL_FOLDERS.classifier, 'card.json')) && existsSync(combinedPath)) {
    const combined = JSON.parse(readFileSync(combinedPath, 'utf8')) as CombinedCard;
    combined.metrics = { test: metrics.combined };
    writeFileAtomic(combinedPath, JSON.stringify(combined, null, 2) + '\n');
    written.push(combinedPath);
  }
  return written;
}
