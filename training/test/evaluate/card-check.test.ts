/** The report's "Against the model cards": what was compared and what was left out are told apart. */
import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../../../src/core/card';
import { CARD_TOLERANCE, checkAgainstCards } from '../../src/evaluate/card-check';
import { cardCheckSection } from '../../src/evaluate/markdown';
import type { Metrics } from '../../src/evaluate/summarize';

const card = (name: 'classifier' | 'segmenter', metrics?: ModelCard['metrics']): ModelCard =>
  ({ name, trained: true, data: { source: 'lgg', splitSeed: 1, patients: { train: ['P1'], val: ['P2'], test: ['P4', 'P5'] }, slices: { train: 0, val: 0, test: 0 } }, metrics }) as ModelCard;

const metrics = {
  classifier: { auc: 0.97, thresholds: { '0.5': { accuracy: 0.94, precision: 0.9, recall: 0.88, specificity: 0.96, f1: 0.89 } } },
  segmenter: { slice_dice_mean: 0.8, patient_dice_mean: 0.86, iou_mean: 0.7 },
  outline: { slice_dice_mean: 0.81, patient_dice_mean: 0.87, iou_mean: 0.71 },
} as unknown as Metrics;
const cards = {
  classifier: card('classifier', { test: { auc: 0.97, thresholds: { '0.5': { accuracy: 0.94, precision: 0.9, recall: 0.88, specificity: 0.96, f1: 0.89 } } } as never }),
  segmenter: card('segmenter', { test: { slice_dice_mean: 0.8, patient_dice_mean: 0.86, iou_mean: 0.7 } }),
};

describe('checkAgainstCards with a card left out', () => {
  const check = checkAgainstCards(metrics, cards, ['P5', 'P4'], null, card('segmenter'));

  it('says what it compared on, and lists the card it skipped apart', () => {
    expect(check.compared).toBe(true);
    expect(check.reason).toBe("the cards' test split (2 patients)");
    expect(check.skipped).toEqual(['segmenter-2: card has no test metrics']);
    expect(check.rows).toHaveLength(1 + 5 + 3);
  });

  it('is reported as such, with the tolerance the check used', () => {
    const text = cardCheckSection(check).join('\n');
    expect(text).toContain(`Compared on the cards' test split (2 patients); tolerance ${CARD_TOLERANCE}. All metrics match.`);
    expect(text).toContain('Not compared: segmenter-2: card has no test metrics.');
  });

  it('lists nothing as skipped when every card was compared', () => {
    const all = checkAgainstCards(metrics, cards, ['P4', 'P5'], null, card('segmenter', { test: { slice_dice_mean: 0.81, patient_dice_mean: 0.87, iou_mean: 0.71 } }));
    expect(all.skipped).toEqual([]);
    expect(all.rows.filter((r) => r.metric.startsWith('outline.'))).toHaveLength(3);
    expect(cardCheckSection(all).join('\n')).not.toContain('Not compared');
  });
});
