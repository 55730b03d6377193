/** report.md: what was scored, with which weights, and every number of the result JSON a reader needs. */
import { combinedFormulaText } from '../../../src/core/combined';
import { THRESHOLD_PRESETS } from '../../../src/core/thresholds';
import { CARD_TOLERANCE, type CardCheck } from './card-check';
import { classificationReportText } from './class-report';
import type { EvaluationResult } from './evaluate';
import { falseAlarmsByDistance, missedTumorSlices } from './errors';
import { COMBINED_ROC_FILE, DICE_FILE, FALSE_ALARMS_FILE, ROC_FILE, combinedConfusionFile, confusionFile } from './plots';
import { thresholdKey } from './run';
import { TARGETS } from './targets';

const f4 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(4));
const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function targetRows(r: EvaluationResult): string[][] {
  const at05 = r.classifier.thresholds['0.5'];
  const at005 = r.classifier.thresholds['0.05'];
  const row = (what: string, value: number | null, target: number) => [what, f4(value), `>= ${target}`, value === null ? 'n/a' : value >= target ? 'met' : 'not met'];
  const c05 = r.combined?.thresholds['0.5'];
  const c005 = r.combined?.thresholds['0.05'];
  return [
    row('classifier accuracy at 0.5', at05?.accuracy ?? null, TARGETS.accuracyAt05),
    row('classifier tumor recall at 0.05', at005?.recall ?? null, TARGETS.recallAt005),
    row('classifier specificity at 0.05', at005?.specificity ?? null, TARGETS.specificityAt005),
    ...(r.combined
      ? [
          row('combined probability: accuracy at 0.5', c05?.accuracy ?? null, TARGETS.accuracyAt05),
          row('combined probability: tumor recall at 0.05', c005?.recall ?? null, TARGETS.recallAt005),
          row('combined probability: specificity at 0.05', c005?.specificity ?? null, TARGETS.specificityAt005),
        ]
      : []),
    row('segmenter per-patient 3-D Dice (tumor slices)', r.segmenter.patient_dice_mean, TARGETS.patientDice),
    ...(r.outline ? [row('outline drawn (mean of both segmenters) per-patient 3-D Dice (tumor slices)', r.outline.patient_dice_mean, TARGETS.patientDice)] : []),
  ];
}

/** One mask's scores (the segmenter alone, or the outline of both): the same rows for each. */
function maskTable(m: NonNullable<EvaluationResult['outline']>, falseMaskOver: string): string {
  return table(
    ['metric', 'value', 'over'],
    [
      ['slice Dice mean', f4(m.slice_dice_mean), m.slice_dice_over],
      ['IoU mean', f4(m.iou_mean), m.iou_over],
      ['per-patient 3-D Dice mean', f4(m.patient_dice_mean), m.patient_dice_over],
      ['per-patient 3-D Dice mean, all slices', f4(m.patient_dice_mean_all_slices), m.patient_dice_all_slices_over],
      ['no-tumor slices with a false mask', f4(m.false_positive_slice_rate), falseMaskOver],
    ],
  );
}

/** With a second segmenter: the outline the app draws, scored like the segmenter above. */
function outlineSection(r: EvaluationResult): string[] {
  const o = r.outline;
  if (!o) return [];
  return [
    "## Outline drawn (the mean of both segmenters' maps)",
    '',
    "The app draws the post-processed mean of the two segmenters' probability maps; the first segmenter's own mask (above) is what the combined probability reads, because combined.json was fitted on it.",
    '',
    maskTable(o, 'no-tumor slices, outline without the gate'),
    '',
  ];
}

/** `overlays`: the pictures' file beside report.md and its sections, when the run drew them there. */
export function reportMarkdown(r: EvaluationResult, overlays: { file: string; sections: string[] } | null = null): string {
  const models = [r.models.classifier, r.models.segmenter, ...(r.models.segmenter2 ? [r.models.segmenter2] : [])];
  const untrained = models.filter((m) => m.trained !== true);
  const out: string[] = [
    '# Evaluation report',
    '',
    `Generated ${r.generated} by \`npm run evaluate\`. Data: \`${r.data.dir}\`, ${r.data.selection}.`,
    `${r.patients} patients, ${r.slices} slices, ${r.tumor_slices} with tumor (tumor = mask has any nonzero pixel; tumor is the positive class).`,
    '',
    ...(overlays ? [`Pictures of the slices behind these numbers (${overlays.sections.map((t) => t.charAt(0).toLowerCase() + t.slice(1)).join('; ')}): [${overlays.file}](${overlays.file}).`, ''] : []),
  ];
  if (untrained.length)
    out.push(`> **Warning:** ${untrained.map((m) => m.dir).join(' and ')} ${untrained.length > 1 ? 'are' : 'is'} not marked trained in card.json: these numbers only show that the evaluation runs, not how good a model is.`, '');
  out.push(
    '## Models',
    '',
    table(
      ['model', 'trained', 'card date', 'parameters', 'weights', 'sha256 of shards'],
      models.map((m) => [m === r.models.segmenter2 ? 'segmenter-2' : m.name, String(m.trained), m.date ?? 'no card', m.params.toLocaleString('en-US'), `${m.weights_dtype ?? '?'}, ${m.weights_bytes.toLocaleString('en-US')} bytes`, `\`${m.weights_sha256.slice(0, 16)}\``]),
    ),
    '',
    `Backend: **${r.backend.name}** (${r.backend.reason}; tfjs backend ${r.backend.tf_backend}; chosen by the training workspace's ladder, the models run through the app's own classify/segment path). `,
    '',
    `${r.slices} slices in ${r.timing.seconds.toFixed(1)} s = **${r.timing.slices_per_second.toFixed(2)} slices/s** wall clock, ${r.timing.slices_per_cpu_second.toFixed(2)} slices per CPU-second (batch ${r.timing.batch_size}; every model on every slice; seconds spent: reading ${r.timing.phases.read.toFixed(1)}, classifier ${r.timing.phases.classify.toFixed(1)}, ${r.models.segmenter2 ? 'both segmenters' : 'segmenter'} ${r.timing.phases.segment.toFixed(1)}, post-processing ${r.timing.phases.postprocess.toFixed(1)}).`,
    '',
    r.data.seen_in_training?.length
      ? `## Targets (issue 4; not held out: ${r.data.seen_in_training.length} of ${r.data.patient_ids.length} patients are in the models' train or val split)`
      : '## Targets (issue 4, held-out patients)',
    '',
    table(['metric', 'value', 'target', ''], targetRows(r)),
    '',
    "The 3-D Dice row scores the segmenter alone on each patient's tumor slices (the slices it was trained for, as the notebook evaluates it). Whole volumes, false masks on no-tumor slices included (closer to Buda et al.), are in the segmenter and two-stage tables below.",
    '',
    '## Classifier',
    '',
    `ROC AUC: **${f4(r.classifier.auc)}** (${r.classifier.positives} tumor, ${r.classifier.negatives} no-tumor slices).`,
    '',
    table(
      ['threshold', 'accuracy', 'precision', 'recall', 'specificity', 'f1', 'TP', 'FP', 'TN', 'FN'],
      THRESHOLD_PRESETS.map((t) => {
        const s = r.classifier.thresholds[thresholdKey(t)];
        return [t, f4(s.accuracy), f4(s.precision), f4(s.recall), f4(s.specificity), f4(s.f1), s.tp, s.fp, s.tn, s.fn];
      }),
    ),
    '',
    `![ROC curve](${ROC_FILE})`,
    '',
  );
  for (const t of THRESHOLD_PRESETS) {
    const s = r.classifier.thresholds[thresholdKey(t)];
    out.push(
      `### Threshold ${t}`,
      '',
      'Confusion matrix (rows: true class, columns: predicted class):',
      '',
      table(['', 'predicted no tumor', 'predicted tumor'], [['**no tumor**', s.tn, s.fp], ['**tumor**', s.fn, s.tp]]),
      '',
      'Classification report:',
      '',
      '```',
      classificationReportText(s.classification_report),
      '```',
      '',
      `![Confusion matrix at ${t}](${confusionFile(t)})`,
      '',
    );
  }
  const combined = r.combined;
  const cm = r.models.combined;
  if (combined && cm) {
    out.push(
      '## Combined tumor probability (what the app shows and decides on)',
      '',
      `${combinedFormulaText(cm.weights, 4, {
        classifier: 'logit(classifier probability)',
        area: `ln(1 + ${r.outline ? "the first segmenter's" : 'the'} mask area in pixels)`,
        empty: '(logit(classifier probability) where that mask is empty)',
      })}, fitted on the ${cm.fitted_on} (\`combined.json\`, ${cm.date}).`,
      '',
      `ROC AUC: **${f4(combined.auc)}** (classifier alone: ${f4(r.classifier.auc)}).`,
      '',
      table(
        ['threshold', 'accuracy', 'precision', 'recall', 'specificity', 'f1', 'TP', 'FP', 'TN', 'FN'],
        THRESHOLD_PRESETS.map((t) => {
          const s = combined.thresholds[thresholdKey(t)];
          return [t, f4(s.accuracy), f4(s.precision), f4(s.recall), f4(s.specificity), f4(s.f1), s.tp, s.fp, s.tn, s.fn];
        }),
      ),
      '',
      `![ROC curve of the combined probability](${COMBINED_ROC_FILE})`,
      '',
      ...THRESHOLD_PRESETS.map((t) => `![Combined probability, confusion matrix at ${t}](${combinedConfusionFile(t)})`),
      '',
    );
  }
  out.push(...errorSection(r));
  const sg = r.segmenter;
  out.push(
    '## Segmenter',
    '',
    `Mask = pixels with probability >= ${sg.pixel_threshold}, then 8-connected regions under ${sg.min_region_pixels} pixels removed (the app's postprocessMask).`,
    '',
    maskTable(sg, 'no-tumor slices, segmenter alone'),
    '',
    ...outlineSection(r),
    r.combined ? `## Two-stage pipeline (the combined probability gates, the ${r.outline ? 'outline of both segmenters' : 'segmenter'} draws)` : '## Two-stage pipeline (the notebook\'s: the classifier gates, the segmenter draws)',
    '',
    table(
      ['threshold', 'per-patient 3-D Dice mean (all slices)', 'slice Dice mean (all slices)', 'slice Dice mean (tumor slices)', 'slices segmented'],
      THRESHOLD_PRESETS.map((t) => {
        const p = r.pipeline[thresholdKey(t)];
        return [t, f4(p.patient_dice_mean), f4(p.slice_dice_mean), f4(p.tumor_slice_dice_mean), `${p.gated_slices} / ${r.slices}`];
      }),
    ),
    '',
    `![Dice per patient](${DICE_FILE})`,
    '',
    '## Per patient',
    '',
    table(
      ['patient', 'slices', 'tumor slices', 'accuracy at 0.5', 'accuracy at 0.05', 'segmenter Dice (tumor slices)', 'segmenter Dice (all slices)', ...(r.outline ? ['outline Dice (tumor slices)', 'outline Dice (all slices)'] : []), 'two-stage Dice at 0.5', 'two-stage Dice at 0.05'],
      r.per_patient.map((p) => [
        p.patient,
        p.slices,
        p.tumor_slices,
        f4(p.accuracy['0.5']),
        f4(p.accuracy['0.05']),
        f4(p.segmenter_dice),
        f4(p.segmenter_dice_all_slices),
        ...(r.outline ? [f4(p.outline_dice ?? null), f4(p.outline_dice_all_slices ?? null)] : []),
        f4(p.pipeline_dice['0.5']),
        f4(p.pipeline_dice['0.05']),
      ]),
    ),
    '',
    '## Against the model cards',
    '',
  );
  out.push(...cardCheckSection(r.card_check));
  return out.join('\n');
}

/** "Against the model cards": what was compared, on which patients, and what was left out and why. */
export function cardCheckSection(c: CardCheck): string[] {
  if (!c.compared) return [`Not compared: ${c.reason}.`, ''];
  // A result saved before `skipped` was recorded (`--from` an old JSON) has none.
  const skipped = c.skipped ?? [];
  return [
    `Compared on ${c.reason}; tolerance ${CARD_TOLERANCE}. ${c.all_ok ? 'All metrics match.' : '**Some metrics differ.**'}`,
    '',
    ...(skipped.length ? [`Not compared: ${skipped.join('; ')}.`, ''] : []),
    table(['metric', 'card', 'this run', 'difference', ''], c.rows.map((x) => [x.metric, f4(x.card), f4(x.measured), f4(x.difference), x.ok ? 'ok' : 'DIFFERS'])),
    '',
  ];
}

/** Which slices the app's decision gets wrong: false alarms by distance to a tumor, and every missed tumor slice. */
function errorSection(r: EvaluationResult): string[] {
  const decidedBy = r.combined ? 'the combined probability' : "the classifier's probability";
  const bands = falseAlarmsByDistance(r.per_slice);
  const pct = (n: number, of: number) => `${n} (${((100 * n) / of).toFixed(0)}%)`;
  const out = [
    "## Where the app's decisions go wrong",
    '',
    `Tumor-free slices called tumor by ${decidedBy}, by distance (in slice numbers) to the same patient's nearest tumor slice:`,
    '',
    table(
      ['distance', 'tumor-free slices', ...THRESHOLD_PRESETS.map((t) => `called tumor at ${t}`)],
      bands.map((b) => [b.band, b.slices, ...THRESHOLD_PRESETS.map((t) => pct(b.called[thresholdKey(t)], b.slices))]),
    ),
    '',
    `![False alarms by distance to a tumor](${FALSE_ALARMS_FILE})`,
    '',
  ];
  for (const t of THRESHOLD_PRESETS) {
    const missed = missedTumorSlices(r.per_slice, t);
    out.push(`Tumor slices missed at ${t}: ${missed.length} of ${r.tumor_slices}.`, '');
    if (missed.length)
      out.push(
        table(
          ['slice', 'tumor pixels', 'classifier', 'segmenter mask pixels', 'decision probability'],
          missed.map((m) => [m.file, m.truth_pixels, f4(m.classifier), m.predicted_pixels, f4(m.decision)]),
        ),
        '',
      );
  }
  return out;
}
