/** The evaluation's SVG plots, built from the result JSON (so they can be redrawn from a saved report). */
import { rocCurve } from '../../../src/core/metrics';
import { THRESHOLD_PRESETS } from '../../../src/core/thresholds';
import { barChartSvg, confusionMatrixSvg, rocSvg } from '../report';
import { falseAlarmsByDistance } from './errors';
import type { EvaluationResult } from './evaluate';
import { thresholdKey } from './run';
import { TARGETS } from './targets';

export const confusionFile = (t: number) => `confusion-${thresholdKey(t)}.svg`;
export const combinedConfusionFile = (t: number) => `combined-confusion-${thresholdKey(t)}.svg`;
export const ROC_FILE = 'roc.svg';
export const COMBINED_ROC_FILE = 'combined-roc.svg';
export const DICE_FILE = 'dice-per-patient.svg';
export const FALSE_ALARMS_FILE = 'false-alarms-by-distance.svg';

export function evaluationPlots(r: EvaluationResult): Record<string, string> {
  const files: Record<string, string> = {};
  for (const t of THRESHOLD_PRESETS) {
    const s = r.classifier.thresholds[thresholdKey(t)];
    files[confusionFile(t)] = confusionMatrixSvg({ title: `Classifier at threshold ${t} (${r.slices} slices)`, tp: s.tp, fp: s.fp, tn: s.tn, fn: s.fn });
  }
  const labels = r.per_slice.map((x) => x.tumor);
  const roc = (name: string, title: string, probabilities: number[], result: NonNullable<EvaluationResult['combined']>) => {
    const { points, auc } = rocCurve(labels, probabilities);
    return rocSvg({
      title,
      name,
      points,
      auc,
      operatingPoints: THRESHOLD_PRESETS.map((t) => {
        const s = result.thresholds[thresholdKey(t)];
        return { threshold: t, fpr: 1 - s.specificity, tpr: s.recall };
      }),
    });
  };
  files[ROC_FILE] = roc('classifier', `ROC, classifier, ${r.patients} patients, ${r.slices} slices`, r.per_slice.map((x) => x.probability), r.classifier);
  const combined = r.combined;
  if (combined) {
    files[COMBINED_ROC_FILE] = roc('combined probability', `ROC, combined probability, ${r.patients} patients, ${r.slices} slices`, r.per_slice.map((x) => x.combined_probability ?? NaN), combined);
    for (const t of THRESHOLD_PRESETS) {
      const s = combined.thresholds[thresholdKey(t)];
      files[combinedConfusionFile(t)] = confusionMatrixSvg({ title: `Combined at threshold ${t} (${r.slices} slices)`, tp: s.tp, fp: s.fp, tn: s.tn, fn: s.fn });
    }
  }
  const bands = falseAlarmsByDistance(r.per_slice);
  files[FALSE_ALARMS_FILE] = barChartSvg({
    title: `False alarms (${r.combined ? 'combined probability' : 'classifier'}) by distance to a tumor`,
    xLabel: 'distance to the same patient\'s nearest tumor slice',
    yLabel: 'share called tumor',
    categories: bands.map((b) => `${b.band} (${b.slices})`),
    series: THRESHOLD_PRESETS.map((t) => ({ name: `at ${t}`, values: bands.map((b) => b.called[thresholdKey(t)] / b.slices) })),
    yDomain: [0, 1],
    width: 640,
  });
  const rows = r.per_patient;
  files[DICE_FILE] = barChartSvg({
    title: 'Dice per patient (3-D, per patient volume)',
    xLabel: 'patient',
    yLabel: 'Dice',
    categories: rows.map((p) => p.patient),
    series: [
      { name: 'segmenter alone, tumor slices', values: rows.map((p) => p.segmenter_dice) },
      ...(r.outline ? [{ name: 'outline (both segmenters), tumor slices', values: rows.map((p) => p.outline_dice ?? null) }] : []),
      ...THRESHOLD_PRESETS.map((t) => ({ name: `two-stage at ${t}, all slices`, values: rows.map((p) => p.pipeline_dice[thresholdKey(t)]) })),
    ],
    yDomain: [0, 1],
    referenceLines: diceReferenceLines(r),
  });
  return files;
}

/** The mean of the mask the app draws (the outline when there is a second segmenter) beside issue 4's target. */
function diceReferenceLines(r: EvaluationResult): { y: number; label: string; color?: string }[] {
  const drawn = r.outline ?? r.segmenter;
  const mean = drawn.patient_dice_mean;
  const target = { y: TARGETS.patientDice, label: `target ${TARGETS.patientDice}`, color: '#b00020' };
  return mean === null ? [target] : [{ y: mean, label: `${r.outline ? 'outline' : 'segmenter'} mean ${mean.toFixed(3)}` }, target];
}
