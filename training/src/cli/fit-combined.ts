/**
 * npm run fit-combined -- --data DIR [--models public/models] [--split val] [--l2 0.01] [--backend NAME]
 * Fits the combined tumor probability (src/core/combined.ts) on the validation patients of the models' cards and
 * writes `<models>/combined.json`. Run it again whenever either model's weights change; then
 * `npm run evaluate -- --data DIR --split test --write-cards` records its test metrics.
 */
import { join } from 'node:path';
import { COMBINED_FORMULA, type CombinedCard } from '../../../src/core/combined';
import { DEFAULT_L2, fitCombined, leaveOnePatientOut, MIN_FIT_PATIENTS, probabilityMetrics } from '../evaluate/combined-fit';
import { runEvaluation } from '../evaluate/evaluate';
import { COMBINED_FILE } from '../../../src/core/model-files';
import { writeFileAtomic } from '../export/atomic';
import { CHOICE_OPTIONS, choiceSplit } from './choice-args';
import { REPO_ROOT, userPath } from './paths';
import { defineCommand, nonNegativeNumber, parseCommand, usageText } from './flags';
import { runCli } from './run-cli';

const FIT_COMBINED = defineCommand({
  script: 'fit-combined',
  about: "Fits the combined tumor probability (src/core/combined.ts) on the validation patients of the models' cards and writes\n" +
    '<models>/combined.json. Refit after either model changes; then npm run evaluate -- --data DIR --split test --write-cards.',
  flags: {
    data: CHOICE_OPTIONS.data,
    models: { ...CHOICE_OPTIONS.models, value: 'DIR', defaultHelp: 'public/models', help: 'folder with classifier/ and segmenter/ as exported; combined.json is written there' },
    split: { ...CHOICE_OPTIONS.split, help: "the cards' split to fit on (test is refused)" },
    l2: { type: 'string', value: 'X', default: String(DEFAULT_L2), help: "L2 penalty on the fit's slopes (a number >= 0)" },
    backend: CHOICE_OPTIONS.backend,
    quiet: CHOICE_OPTIONS.quiet,
  },
});

async function main(): Promise<number> {
  const values = parseCommand(FIT_COMBINED);
  if (!values.data) {
    process.stderr.write(usageText(FIT_COMBINED));
    return 2;
  }
  const split = choiceSplit(values.split, 'fit');
  const l2 = nonNegativeNumber(values.l2, '--l2');

  const modelsDir = values.models ? userPath(values.models) : join(REPO_ROOT, 'public/models');
  const r = await runEvaluation({ dataDir: userPath(values.data), modelsDir, split, backend: values.backend, progress: !values.quiet, withCombined: false, minPatients: MIN_FIT_PATIENTS });
  const rows = r.per_slice;
  const weights = fitCombined(rows, l2);
  const heldOut = probabilityMetrics(rows, leaveOnePatientOut(rows, l2));
  const card: CombinedCard = {
    kind: 'combined-tumor-probability',
    formula: COMBINED_FORMULA,
    weights,
    fitted: { split: values.split!, patients: r.data.patient_ids, slices: rows.length, tumorSlices: r.tumor_slices, l2, leaveOnePatientOut: heldOut },
    models: { classifier: r.models.classifier.weights_sha256, segmenter: r.models.segmenter.weights_sha256 },
    command: `npm run fit-combined -- --data ${values.data} --split ${values.split}${values.l2 === String(DEFAULT_L2) ? '' : ` --l2 ${values.l2}`}`,
    date: new Date().toISOString(),
  };
  const path = join(modelsDir, COMBINED_FILE);
  writeFileAtomic(path, JSON.stringify(card, null, 2) + '\n');

  const f = (v: number) => v.toFixed(4);
  console.log(`fitted on ${r.patients} ${values.split} patients, ${rows.length} slices (${r.tumor_slices} tumor)`);
  console.log(`weights: classifierLogit ${f(weights.classifierLogit)}, logMaskArea ${f(weights.logMaskArea)}, emptyMaskClassifierLogit ${f(weights.emptyMaskClassifierLogit)}, bias ${f(weights.bias)}`);
  console.log(`leave one patient out: AUC ${f(heldOut.auc)} (classifier alone ${f(r.classifier.auc ?? NaN)})`);
  for (const t of ['0.5', '0.05']) {
    const c = heldOut.thresholds[t];
    const a = r.classifier.thresholds[t];
    console.log(`  at ${t}: accuracy ${f(c.accuracy)} recall ${f(c.recall)} specificity ${f(c.specificity)} (classifier alone ${f(a.accuracy)} / ${f(a.recall)} / ${f(a.specificity)})`);
  }
  console.log(`wrote ${path}`);
  return 0;
}

runCli(main);
