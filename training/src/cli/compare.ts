/**
 * npm run compare -- --data DIR --models DIR_A,DIR_B[,DIR_A+DIR_B~flip,...] [--split val] [--out FILE.json] [--backend NAME]
 * Scores candidate model folders (each: classifier/ and segmenter/ as exported) on the validation patients of their
 * cards, side by side: how a candidate is chosen before the test patients see it. A candidate may also be
 * `DIR_A+DIR_B` (the mean of the folders' predictions) and carry `~flip`, `~flip-classifier` or `~flip-segmenter`
 * (flip test-time augmentation); see evaluate/prediction-variants.ts.
 */
import { writeFileAtomic } from '../export/atomic';
import { leaveOnePatientOut, MIN_FIT_PATIENTS } from '../evaluate/combined-fit';
import { pairedBootstrapSpecificity, scoreCandidate, type CandidateScores, type PairedBootstrap, type ScoredRows } from '../evaluate/compare';
import { runEvaluation } from '../evaluate/evaluate';
import { isPlainFolder, parseCandidateSpec } from '../evaluate/prediction-variants';
import { CHOICE_OPTIONS, choiceSplit } from './choice-args';
import { userPath } from './paths';
import { defineCommand, parseCommand, usageText } from './flags';
import { runCli } from './run-cli';

const COMPARE = defineCommand({
  script: 'compare',
  about: 'Scores candidate model folders side by side on the validation patients of their cards (never test), each later one also\n' +
    'against the first by a paired bootstrap: how a candidate is chosen before the test patients see it.',
  flags: {
    data: CHOICE_OPTIONS.data,
    models: {
      ...CHOICE_OPTIONS.models, value: 'DIR_A,DIR_B[,...]', required: true,
      help: 'the candidates, comma-separated: a folder with classifier/ and segmenter/ as exported, DIR_A+DIR_B (the mean of their predictions), with ~flip, ~flip-classifier or ~flip-segmenter for flip test-time augmentation',
    },
    split: { ...CHOICE_OPTIONS.split, help: "the cards' split to score on (test is refused)" },
    out: { type: 'string', value: 'FILE.json', help: 'write the scores and the bootstrap as JSON' },
    backend: CHOICE_OPTIONS.backend,
    quiet: CHOICE_OPTIONS.quiet,
  },
  notes: ['Candidates and their variants: training/README.md, "Compare candidates before shipping".'],
});

async function main(): Promise<number> {
  const values = parseCommand(COMPARE);
  if (!values.data || !values.models) {
    process.stderr.write(usageText(COMPARE));
    return 2;
  }
  const split = choiceSplit(values.split, 'chosen pair');
  const results: CandidateScores[] = [];
  const scored: ScoredRows[] = [];
  // All specs are parsed before the first (slow) evaluation, so a typo fails at once.
  const candidates = values.models.split(',').map((d) => d.trim()).filter(Boolean).map(parseCandidateSpec);
  for (const c of candidates) {
    const [first, ...also] = c.dirs.map(userPath);
    const variant = isPlainFolder(c) ? undefined : { alsoDirs: also, flip: c.flip };
    const r = await runEvaluation({ dataDir: userPath(values.data), modelsDir: first, split, backend: values.backend, progress: !values.quiet, withCombined: false, minPatients: MIN_FIT_PATIENTS, variant });
    const combinedP = leaveOnePatientOut(r.per_slice);
    scored.push({ rows: r.per_slice, combinedP });
    results.push(scoreCandidate(c.label, r, r.per_slice, combinedP));
  }
  // Each later candidate against the first, on the same redrawn patients.
  const bootstrap: (PairedBootstrap & { candidate: string; reference: string })[] = results.slice(1).map((c, i) => ({ candidate: c.models, reference: results[0].models, ...pairedBootstrapSpecificity(scored[0], scored[i + 1]) }));
  const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
  console.log(`${split} patients; combined probability scored leaving each patient out of its fit`);
  console.log('| models | classifier AUC | seg slice Dice | 3-D Dice tumor / all slices | clear slices with a mask | combined AUC | acc @0.5 | recall / spec @0.05 | spec at recall 0.98 |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const c of results) {
    const s = c.segmenter;
    const k = c.combined;
    console.log(`| ${c.models} | ${f(c.classifier_auc)} | ${f(s.slice_dice)} | ${f(s.patient_dice)} / ${f(s.patient_dice_all_slices)} | ${s.clear_slices_with_mask} of ${s.clear_slices} | ${f(k.auc)} | ${f(k.accuracy_at_05)} | ${f(k.recall_at_005)} / ${f(k.specificity_at_005)} | ${f(k.specificity_at_recall_098)} |`);
  }
  // A folder with segmenter-2: the columns above score its first segmenter (what the combined probability reads).
  for (const c of results.filter((r) => r.outline))
    console.log(`${c.models}: the outline drawn (mean of both segmenters) 3-D Dice ${f(c.outline!.patient_dice)} / ${f(c.outline!.patient_dice_all_slices)}, ${c.outline!.clear_slices_with_mask} of ${c.segmenter.clear_slices} clear slices with a mask`);
  console.log('\ntumor slices that set "spec at recall 0.98" (lowest combined probability first): classifier, mask pixels predicted / true, combined');
  for (const c of results)
    console.log(`${c.models}: ${c.deciding_tumor_slices.map((d) => `${d.file} ${f(d.classifier)}, ${d.predicted_pixels}/${d.truth_pixels} px, ${f(d.combined)}`).join('; ')}`);
  if (bootstrap.length) {
    console.log(`\nspec at recall 0.98, candidate minus ${results[0].models}, patients redrawn with replacement (${bootstrap[0].draws} draws): 5th / 50th / 95th percentile, share of draws >= 0`);
    for (const b of bootstrap) console.log(`${b.candidate}: ${b.difference.map((x) => (x >= 0 ? '+' : '') + x.toFixed(3)).join(' / ')}, ${(100 * b.share_at_least_reference).toFixed(0)}%`);
  }
  if (values.out) {
    writeFileAtomic(userPath(values.out), JSON.stringify({ generated: new Date().toISOString(), split, candidates: results, paired_bootstrap_specificity_at_recall_098: bootstrap }, null, 1) + '\n');
    console.log(`wrote ${userPath(values.out)}`);
  }
  return 0;
}

runCli(main);
