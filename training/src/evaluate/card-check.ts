/**
 * Do the shipped cards' test metrics match this run? Only meaningful when this run scored exactly the
 * card's test patients; otherwise it says why it did not compare.
 */
import type { ClassifierTestMetrics, ModelCard, ModelName, SegmenterTestMetrics } from '../../../src/core/card';
import type { CombinedCard } from '../../../src/core/combined';
import type { Metrics } from './summarize';

/** Half a point: the tolerance issue 4 allows between weight formats; backends differ far less. */
export const CARD_TOLERANCE = 0.005;

export interface CardCheck {
  compared: boolean;
  /** When compared, the patients it was compared on; otherwise why nothing was. */
  reason: string;
  /** Each card (or combined.json) left out of the comparison, with why; also when the others were compared. */
  skipped: string[];
  rows: { metric: string; card: number; measured: number | null; difference: number | null; ok: boolean }[];
  all_ok: boolean | null;
}

/** The same patients, in any order. */
export const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

export function checkAgainstCards(
  m: Metrics,
  cards: Partial<Record<ModelName, ModelCard>>,
  patients: string[],
  combined: CombinedCard | null = null,
  /** The second segmenter's card: its test metrics are the outline's (the mean of both segmenters' maps). */
  segmenter2: ModelCard | null = null,
): CardCheck {
  const rows: CardCheck['rows'] = [];
  const add = (metric: string, card: number | undefined, measured: number | null) => {
    if (typeof card !== 'number') return;
    const difference = measured === null ? null : measured - card;
    rows.push({ metric, card, measured, difference, ok: difference !== null && Math.abs(difference) <= CARD_TOLERANCE });
  };
  /** AUC and each threshold's scores of a classifier-shaped result (the classifier's, the combined probability's). */
  const addScores = (prefix: string, card: ClassifierTestMetrics, measured: Metrics['classifier'] | null) => {
    add(`${prefix}.auc`, card.auc, measured?.auc ?? null);
    for (const [t, s] of Object.entries(card.thresholds ?? {}))
      for (const k of ['accuracy', 'precision', 'recall', 'specificity', 'f1'] as const) add(`${prefix}.thresholds["${t}"].${k}`, s[k], measured?.thresholds[t]?.[k] ?? null);
  };
  const skipped: string[] = [];
  for (const name of ['classifier', 'segmenter'] as const) {
    const card = cards[name];
    const test = card?.metrics?.test;
    const split = card?.data?.patients.test;
    if (!test || !split) {
      skipped.push(`${name}: card has no test metrics`);
      continue;
    }
    if (!sameSet(split, patients)) {
      skipped.push(`${name}: this run scored other patients than the card's test split`);
      continue;
    }
    if (name === 'classifier') addScores('classifier', test as ClassifierTestMetrics, m.classifier);
    else {
      const s = test as SegmenterTestMetrics;
      add('segmenter.slice_dice_mean', s.slice_dice_mean, m.segmenter.slice_dice_mean);
      add('segmenter.patient_dice_mean', s.patient_dice_mean, m.segmenter.patient_dice_mean);
      add('segmenter.iou_mean', s.iou_mean, m.segmenter.iou_mean);
    }
  }
  const outlineCard = segmenter2?.metrics?.test as SegmenterTestMetrics | undefined;
  if (outlineCard && segmenter2?.data && sameSet(segmenter2.data.patients.test, patients)) {
    add('outline.slice_dice_mean', outlineCard.slice_dice_mean, m.outline?.slice_dice_mean ?? null);
    add('outline.patient_dice_mean', outlineCard.patient_dice_mean, m.outline?.patient_dice_mean ?? null);
    add('outline.iou_mean', outlineCard.iou_mean, m.outline?.iou_mean ?? null);
  } else if (segmenter2) skipped.push(outlineCard ? "segmenter-2: this run scored other patients than the card's test split" : 'segmenter-2: card has no test metrics');
  // The combined probability's test metrics are on the classifier card's test patients.
  const split = cards.classifier?.data?.patients.test;
  if (combined?.metrics?.test && split && sameSet(split, patients)) addScores('combined', combined.metrics.test, m.combined);
  else if (combined) skipped.push(combined.metrics?.test ? "combined: this run scored other patients than the classifier card's test split" : 'combined: combined.json has no test metrics');
  if (rows.length === 0) return { compared: false, reason: skipped.join('; ') || 'nothing to compare', skipped, rows, all_ok: null };
  return { compared: true, reason: `the cards' test split (${patients.length} patients)`, skipped, rows, all_ok: rows.every((r) => r.ok) };
}

const num = (v: number | null) => v ?? NaN;

/** A classifier-shaped result as a card stores it: AUC and each threshold's scores, without the text report. */
export function testMetricsOf(r: Metrics['classifier']): ClassifierTestMetrics {
  const thresholds: ClassifierTestMetrics['thresholds'] = {};
  for (const [t, { classification_report: _omit, ...scores }] of Object.entries(r.thresholds)) thresholds[t] = scores;
  return { auc: num(r.auc), thresholds };
}

/** What the second segmenter's card says its test metrics score. */
export const OUTLINE_SCORED = "the outline the app draws: the post-processed mean of this and the first segmenter's maps";

const maskMetrics = (r: Metrics['segmenter']): SegmenterTestMetrics => ({ slice_dice_mean: num(r.slice_dice_mean), patient_dice_mean: num(r.patient_dice_mean), iou_mean: num(r.iou_mean) });

/**
 * Each card's `metrics.test` (the outline's for segmenter-2, and combined.json's) from an evaluation on the test
 * patients: what `evaluate --write-cards` writes into them (write-cards.ts).
 */
export function cardTestMetrics(m: Metrics): { classifier: ClassifierTestMetrics; segmenter: SegmenterTestMetrics; outline: SegmenterTestMetrics | null; combined: ClassifierTestMetrics | null } {
  return {
    combined: m.combined && testMetricsOf(m.combined),
    classifier: testMetricsOf(m.classifier),
    segmenter: maskMetrics(m.segmenter),
    outline: m.outline ? { scored: OUTLINE_SCORED, ...maskMetrics(m.outline) } : null,
  };
}
