/**
 * npm run evaluate -- --data DIR [--models public/models] [--patients a,b | --split test] [--out FILE.json]
 *                     [--report DIR [--no-overlays]] [--batch 8] [--backend NAME] [--quiet] [--expect-card] [--write-cards]
 * Scores the shipped classifier and segmenter on a kaggle_3m-layout folder exactly as the app runs them.
 * npm run evaluate -- --from FILE.json --report DIR   redraws a report from a saved result, running nothing.
 */
import { join } from 'node:path';
import { DEFAULT_BATCH_SIZE, runEvaluation } from '../evaluate/evaluate';
import { SPLITS } from '../evaluate/selection';
import { OVERLAYS_DIR, removeOverlays } from '../evaluate/overlays';
import { writeReportDir, writeReportFromJson, writeResultJson } from '../evaluate/write';
import { writeTestMetricsToCards } from '../evaluate/write-cards';
import { REPO_ROOT, shippedWithApp, userPath } from './paths';
import { defineCommand, LADDER_BACKEND_FLAG, QUIET_FLAG, oneOf, parseCommand, positiveInt, usageText } from './flags';
import { runCli, UsageError } from './run-cli';


const EVALUATE = defineCommand({
  script: 'evaluate',
  usage: ['--data DIR [flags]', '--from FILE.json --report DIR'],
  about: "Scores the shipped classifier and segmenter on a kaggle_3m-layout folder exactly as the app runs them; with --from, redraws\n" +
    'the report of a saved result (--out) without running the models.',
  flags: {
    data: { type: 'string', value: 'DIR', help: 'kaggle_3m-layout folder (required unless --from)' },
    models: { type: 'string', value: 'DIR', defaultHelp: 'public/models', help: 'folder with classifier/ and segmenter/ as exported' },
    patients: { type: 'string', value: 'a,b,c', defaultHelp: 'every patient in --data', help: 'only these patients, comma-separated (not with --split)' },
    split: { type: 'string', value: 'train|val|test', help: "only the patients of this split of the models' cards" },
    out: { type: 'string', value: 'FILE.json', help: 'write the result as JSON' },
    report: { type: 'string', value: 'DIR', help: 'write report.md and its charts into DIR, and overlays.md with pictures of the slices that matter (not inside public/)' },
    'no-overlays': { type: 'boolean', default: false, help: 'with --report, leave out the pictures of slices (overlays.md, overlays/)' },
    batch: { type: 'string', value: 'N', default: String(DEFAULT_BATCH_SIZE), help: 'slices per model call' },
    backend: LADDER_BACKEND_FLAG,
    quiet: QUIET_FLAG,
    'expect-card': { type: 'boolean', default: false, help: "exit 1 unless the cards' test metrics are reproduced (needs --split test)" },
    'write-cards': { type: 'boolean', default: false, help: "write the run's test metrics into each trained card whose test split it scored exactly" },
    from: { type: 'string', value: 'FILE.json', help: 'redraw --report DIR from a saved --out result, running nothing' },
  },
});

async function main(): Promise<number> {
  const values = parseCommand(EVALUATE);
  if (values.from) {
    if (!values.report) throw new UsageError('--from needs --report DIR: it only redraws a report');
    console.log(`wrote ${writeReportFromJson(userPath(values.from), userPath(values.report)).join(', ')}`);
    return 0;
  }
  if (!values.data) {
    process.stderr.write(usageText(EVALUATE));
    return 2;
  }
  const split = values.split === undefined ? undefined : oneOf(values.split, '--split', SPLITS);
  // The cards' test metrics were measured on their test split: any other patients leave nothing to check against.
  if (values['expect-card'] && split !== 'test') throw new UsageError('--expect-card cannot check other patients than the cards\' test split: it needs --split test');
  const batchSize = positiveInt(values.batch, '--batch');

  const modelsDir = values.models ? userPath(values.models) : join(REPO_ROOT, 'public/models');
  const reportDir = values.report ? userPath(values.report) : null;
  // Pictures of slices are patient data: never into public/, which the app ships (a shipped report is numbers and charts).
  const overlaysDir = reportDir && !values['no-overlays'] && !shippedWithApp(reportDir) ? reportDir : undefined;
  const r = await runEvaluation({
    dataDir: userPath(values.data),
    modelsDir,
    patients: values.patients?.split(',').map((p) => p.trim()).filter(Boolean),
    split,
    batchSize,
    backend: values.backend,
    progress: !values.quiet,
    overlaysDir,
  });

  const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));
  const seen = r.data.seen_in_training ?? [];
  if (seen.length) console.warn(`warning: ${seen.length} of ${r.patients} patients are in the models' train or val split (${seen.join(', ')}): these scores are not held out`);
  console.log(`backend ${r.backend.name} (${r.backend.reason}; tfjs backend ${r.backend.tf_backend})`);
  for (const m of [r.models.classifier, r.models.segmenter, ...(r.models.segmenter2 ? [r.models.segmenter2] : [])]) console.log(`${m.dir}: trained=${m.trained} date=${m.date ?? 'no card'} params=${m.params} weights=${m.weights_sha256.slice(0, 16)}`);
  console.log(`${r.patients} patients, ${r.slices} slices (${r.tumor_slices} tumor) in ${r.timing.seconds.toFixed(1)} s: ${r.timing.slices_per_second.toFixed(2)} slices/s (${r.timing.slices_per_cpu_second.toFixed(2)} slices per CPU-second)`);
  const printScores = (label: string, result: typeof r.classifier) => {
    console.log(`${label} AUC ${f(result.auc)}`);
    for (const [t, s] of Object.entries(result.thresholds))
      console.log(`  at ${t}: accuracy ${f(s.accuracy)} precision ${f(s.precision)} recall ${f(s.recall)} specificity ${f(s.specificity)} f1 ${f(s.f1)} (tp ${s.tp} fp ${s.fp} tn ${s.tn} fn ${s.fn})`);
  };
  printScores('classifier', r.classifier);
  if (r.combined && r.models.combined) printScores(`combined probability (fitted on the ${r.models.combined.fitted_on})`, r.combined);
  else console.log('combined probability: none (no combined.json beside the models): the classifier alone decides');
  console.log(`segmenter slice Dice ${f(r.segmenter.slice_dice_mean)} IoU ${f(r.segmenter.iou_mean)} patient 3-D Dice ${f(r.segmenter.patient_dice_mean)} (tumor slices), ${f(r.segmenter.patient_dice_mean_all_slices)} (all slices)`);
  if (r.outline) console.log(`outline (mean of both segmenters) slice Dice ${f(r.outline.slice_dice_mean)} IoU ${f(r.outline.iou_mean)} patient 3-D Dice ${f(r.outline.patient_dice_mean)} (tumor slices), ${f(r.outline.patient_dice_mean_all_slices)} (all slices)`);
  for (const t of ['0.5', '0.05']) console.log(`two-stage at ${t}: patient 3-D Dice ${f(r.pipeline[t].patient_dice_mean)} (all slices)`);
  if (r.card_check.compared) console.log(`model cards: ${r.card_check.all_ok ? 'all test metrics reproduced' : 'SOME TEST METRICS DIFFER'} (${r.card_check.rows.length} compared)`);
  else console.log(`model cards: not compared (${r.card_check.reason})`);

  if (values.out) {
    writeResultJson(r, userPath(values.out));
    console.log(`wrote ${userPath(values.out)}`);
  }
  if (reportDir) {
    // An earlier run's pictures must not stay beside these numbers.
    const removed = overlaysDir ? 0 : removeOverlays(reportDir);
    console.log(`wrote ${writeReportDir(r, reportDir).join(', ')}`);
    if (r.overlays) console.log(`wrote ${r.overlays.file} with ${r.overlays.pictures} pictures of slices (${join(reportDir, OVERLAYS_DIR)})`);
    else if (overlaysDir) console.log('no pictures of slices: these patients have no tumor slice and no slice called tumor');
    else if (!values['no-overlays']) console.log(`no pictures of slices in ${reportDir}: public/ ships with the app, and slice pictures are patient data (give --report a folder outside public/ for them)`);
    if (removed) console.log(`removed an earlier run's overlays.md and its ${removed} pictures from ${reportDir}`);
  }
  if (values['write-cards']) {
    const written = writeTestMetricsToCards(r, modelsDir, r.data.patient_ids);
    console.log(written.length ? `wrote test metrics into ${written.join(', ')}` : 'no card updated: no trained model whose card lists exactly these test patients');
  }
  if (values['expect-card'] && !(r.card_check.compared && r.card_check.all_ok)) {
    console.error('--expect-card: the run did not reproduce the cards\' test metrics');
    return 1;
  }
  return 0;
}

runCli(main);
