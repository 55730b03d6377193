/**
 * A real evaluation over two unpacked patients with whatever public/models holds (the shipped trained weights, or
 * untrained exports in a checkout without them): it checks structure and internal consistency against independent
 * recounts, never the values.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meanOfMaps, postprocessMask } from '../../../src/core/mask';
import { overlap } from '../../../src/core/metrics';
import { classify, segment } from '../../../src/inference/analyze';
import { loadModelFromDir } from '../../src/export/model-files';
import { cardTestMetrics } from '../../src/evaluate/card-check';
import { scoreCandidate } from '../../src/evaluate/compare';
import { runEvaluation, type EvaluationResult } from '../../src/evaluate/evaluate';
import { summarize } from '../../src/evaluate/summarize';
import { indexDataset } from '../../src/data';
import { loadSlices } from '../../src/data/load';
import { decisionProbability, labeledSlices } from '../../src/evaluate/run';
import { combinedProbability, parseCombinedCard } from '../../../src/core/combined';
import { writeReportDir, writeReportFromJson, writeResultJson } from '../../src/evaluate/write';
import { svgProblems } from './wellFormedSvg';
import { overlayColour, readPng } from '../helpers';
import { runTrainingCli } from '../cli-helpers';
import { removeOverlays } from '../../src/evaluate/overlays';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const lgg = resolve(repo, '../shared/data/lgg');
const models = join(repo, 'public/models');
/** The app's optional second segmenter: when it ships, the outline drawn is the mean of both maps. */
const hasSegmenter2 = existsSync(join(models, 'segmenter-2', 'model.json'));
// Two of the smallest patients (20 slices each), both with tumor slices.
const PATIENTS = ['TCGA_CS_4942_19970222', 'TCGA_CS_5395_19981004'];
const THRESHOLDS = ['0.5', '0.05'];

/** Tumor slice counts per patient as the data set's own table lists them: an independent source. */
function tumorSlicesFromTable(): Map<string, number> {
  const lines = readFileSync(join(lgg, 'patients.tsv'), 'utf8').trim().split('\n');
  const head = lines[0].split('\t');
  return new Map(lines.slice(1).map((l) => l.split('\t')).map((c) => [c[head.indexOf('patient')], Number(c[head.indexOf('tumor_slices')])]));
}

const dice = (i: number, p: number, t: number) => (p + t === 0 ? 1 : (2 * i) / (p + t));
const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

let tmp: string;
let r: EvaluationResult;
let reportFiles: string[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'lgg-eval-'));
  execFileSync('bash', [join(lgg, 'unpack.sh'), tmp, ...PATIENTS], { stdio: 'pipe' });
  r = await runEvaluation({ dataDir: tmp, modelsDir: models, progress: false, overlaysDir: join(tmp, 'report') });
  reportFiles = writeReportDir(r, join(tmp, 'report'));
  writeResultJson(r, join(tmp, 'out', 'eval.json'));
});
afterAll(() => tmp && rmSync(tmp, { recursive: true, force: true }));

describe('evaluation JSON', () => {
  it('scores every slice of the folder once, in patient and slice order', () => {
    const files = PATIENTS.flatMap((p) => readdirSync(join(tmp, 'kaggle_3m', p)).filter((f) => f.endsWith('.tif') && !f.endsWith('_mask.tif')));
    expect(r.slices).toBe(files.length);
    expect(r.per_slice.map((s) => s.file).sort()).toEqual([...files].sort());
    expect(r.patients).toBe(2);
    expect(r.data.patient_ids).toEqual(PATIENTS);
    for (const p of PATIENTS) {
      const idx = r.per_slice.filter((s) => s.patient === p).map((s) => s.index!);
      expect(idx).toEqual([...idx].sort((a, b) => a - b));
    }
  });

  it('labels tumor slices as the data set table counts them', () => {
    const table = tumorSlicesFromTable();
    for (const p of r.per_patient) expect(p.tumor_slices).toBe(table.get(p.patient));
    expect(r.tumor_slices).toBe(PATIENTS.reduce((n, p) => n + table.get(p)!, 0));
    for (const s of r.per_slice) expect(s.tumor).toBe(s.truth_pixels > 0);
  });

  it('has the confusion counts and scores of both thresholds, matching a recount from the per-slice rows', () => {
    for (const t of THRESHOLDS) {
      const s = r.classifier.thresholds[t];
      for (const k of ['accuracy', 'precision', 'recall', 'specificity', 'f1', 'tp', 'fp', 'tn', 'fn'] as const) expect(typeof s[k]).toBe('number');
      expect(s.tp + s.fp + s.tn + s.fn).toBe(r.slices);
      const th = Number(t);
      const count = (tumor: boolean, called: boolean) => r.per_slice.filter((x) => x.tumor === tumor && x.probability >= th === called).length;
      expect([s.tp, s.fp, s.tn, s.fn]).toEqual([count(true, true), count(false, true), count(false, false), count(true, false)]);
      expect(s.accuracy).toBeCloseTo((s.tp + s.tn) / r.slices, 12);
      const rep = s.classification_report;
      expect([rep.tumor.support, rep.noTumor.support]).toEqual([r.tumor_slices, r.slices - r.tumor_slices]);
      expect(rep.accuracy).toBe(s.accuracy);
    }
    expect(r.classifier.auc === null || (r.classifier.auc >= 0 && r.classifier.auc <= 1)).toBe(true);
  });

  it('derives the segmenter and two-stage Dice from the rows (recomputed here by hand)', () => {
    const tumorRows = r.per_slice.filter((s) => s.tumor);
    expect(r.segmenter.slice_dice_mean).toBeCloseTo(avg(tumorRows.map((s) => dice(s.intersection, s.predicted_pixels, s.truth_pixels))), 12);
    const patientDice = PATIENTS.map((p) => {
      const rows = tumorRows.filter((s) => s.patient === p);
      const sum = (k: 'intersection' | 'predicted_pixels' | 'truth_pixels') => rows.reduce((n, s) => n + s[k], 0);
      return dice(sum('intersection'), sum('predicted_pixels'), sum('truth_pixels'));
    });
    expect(r.segmenter.patient_dice_mean).toBeCloseTo(avg(patientDice), 12);
    expect(r.segmenter.patient_dice_over).toMatch(/tumor slices/);
    expect(typeof r.segmenter.iou_mean).toBe('number');
    for (const t of THRESHOLDS) {
      for (const s of r.per_slice) {
        // The app's probability gates (the combined one when shipped): below the threshold the mask is empty, above it the outline drawn is kept.
        const gatedOpen = decisionProbability(s) >= Number(t);
        const drawn = s.outline ?? { predicted_pixels: s.predicted_pixels, intersection: s.intersection };
        expect(s.pipeline[t]).toEqual(gatedOpen ? drawn : { predicted_pixels: 0, intersection: 0 });
      }
      const perPatient = PATIENTS.map((p) => {
        const rows = r.per_slice.filter((s) => s.patient === p);
        return dice(rows.reduce((n, s) => n + s.pipeline[t].intersection, 0), rows.reduce((n, s) => n + s.pipeline[t].predicted_pixels, 0), rows.reduce((n, s) => n + s.truth_pixels, 0));
      });
      expect(r.pipeline[t].patient_dice_mean).toBeCloseTo(avg(perPatient), 12);
      expect(r.pipeline[t].gated_slices).toBe(r.per_slice.filter((s) => decisionProbability(s) >= Number(t)).length);
    }
  });

  it('scores the outline of both segmenters when a second one ships, and only then (recounted from the rows)', () => {
    if (!hasSegmenter2) {
      expect(r.outline).toBeNull();
      expect(r.per_slice.every((s) => !s.outline)).toBe(true);
      return;
    }
    expect(r.per_slice.every((s) => s.outline)).toBe(true);
    const tumorRows = r.per_slice.filter((s) => s.tumor);
    expect(r.outline!.slice_dice_mean).toBeCloseTo(avg(tumorRows.map((s) => dice(s.outline!.intersection, s.outline!.predicted_pixels, s.truth_pixels))), 12);
    const perPatient = PATIENTS.map((p) => {
      const rows = tumorRows.filter((s) => s.patient === p);
      return dice(rows.reduce((n, s) => n + s.outline!.intersection, 0), rows.reduce((n, s) => n + s.outline!.predicted_pixels, 0), rows.reduce((n, s) => n + s.truth_pixels, 0));
    });
    expect(r.outline!.patient_dice_mean).toBeCloseTo(avg(perPatient), 12);
    r.per_patient.forEach((p, i) => expect(p.outline_dice).toBeCloseTo(perPatient[i], 12));
    // The first segmenter alone is still scored on its own (its area feeds the combined probability).
    expect(r.per_slice.some((s) => s.outline!.predicted_pixels !== s.predicted_pixels)).toBe(true);
    expect(r.models.segmenter2?.params).toBe(1_210_513);
  });

  it("compare's candidate scores carry the outline when a second segmenter ships, and the first segmenter's own scores beside it", () => {
    const c = scoreCandidate('shipped', r, r.per_slice);
    expect(c.segmenter.patient_dice).toBe(r.segmenter.patient_dice_mean);
    if (!hasSegmenter2) return expect(c.outline).toBeNull();
    expect(c.outline!.patient_dice).toBe(r.outline!.patient_dice_mean);
    expect(c.outline!.clear_slices_with_mask).toBe(r.per_slice.filter((s) => !s.tumor && s.outline!.predicted_pixels > 0).length);
  });

  it('names the models it scored, with the cards they ship with', () => {
    for (const name of ['classifier', 'segmenter'] as const) {
      const card = JSON.parse(readFileSync(join(models, name, 'card.json'), 'utf8'));
      const m = r.models[name];
      expect(m.trained).toBe(card.trained);
      expect(m.date).toBe(card.date);
      expect(m.params).toBe(card.params);
      expect(m.weights_sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(r.models.classifier.params).toBe(8_880_897);
    expect(r.models.segmenter.params).toBe(1_210_513);
    expect(r.timing.slices_per_second).toBeGreaterThan(0);
  });

  it("scores the shipped combined probability: the formula on each row's classifier probability and mask area, recounted", () => {
    const file = join(models, 'combined.json');
    if (!existsSync(file)) {
      // Without combined.json the classifier alone decides.
      expect(r.combined).toBeNull();
      expect(r.per_slice.every((s) => s.combined_probability === null)).toBe(true);
      return;
    }
    const card = parseCombinedCard(JSON.parse(readFileSync(file, 'utf8')), file);
    // Fitted for exactly these weights (runEvaluation would have refused others).
    expect(card.models).toEqual({ classifier: r.models.classifier.weights_sha256, segmenter: r.models.segmenter.weights_sha256 });
    expect(r.models.combined?.weights).toEqual(card.weights);
    for (const s of r.per_slice) expect(s.combined_probability).toBeCloseTo(combinedProbability(s.probability, s.predicted_pixels, card.weights), 12);
    for (const t of THRESHOLDS) {
      const c = r.combined!.thresholds[t];
      const count = (tumor: boolean, called: boolean) => r.per_slice.filter((x) => x.tumor === tumor && x.combined_probability! >= Number(t) === called).length;
      expect([c.tp, c.fp, c.tn, c.fn]).toEqual([count(true, true), count(false, true), count(false, false), count(true, false)]);
    }
  });

  it('refuses a combined.json fitted for other weights, and says how to refit it', async () => {
    const dir = join(tmp, 'models-other-combined');
    cpSync(models, dir, { recursive: true });
    const other = { kind: 'combined-tumor-probability', weights: { classifierLogit: 1, logMaskArea: 0, emptyMaskClassifierLogit: 0, bias: 0 }, models: { classifier: '0'.repeat(64), segmenter: '0'.repeat(64) } };
    writeFileSync(join(dir, 'combined.json'), JSON.stringify(other));
    await expect(runEvaluation({ dataDir: tmp, modelsDir: dir, patients: [PATIENTS[0]], progress: false })).rejects.toThrow(/fitted for other classifier weights.*npm run fit-combined/);
  });

  it('refuses a model folder whose shards are not the bytes its card names (one byte changed)', async () => {
    const dir = join(tmp, 'models-damaged-shard');
    cpSync(models, dir, { recursive: true });
    const shard = join(dir, 'segmenter', 'group1-shard1of1.bin');
    const bytes = readFileSync(shard);
    bytes[1000] ^= 0xff;
    writeFileSync(shard, bytes);
    await expect(runEvaluation({ dataDir: tmp, modelsDir: dir, patients: [PATIENTS[0]], progress: false })).rejects.toThrow(/segmenter: its weights do not match its card\.json/);
  });

  it('batches without changing a prediction: a slice alone gets what it got in its batch', async () => {
    const slices = labeledSlices(loadSlices(indexDataset(tmp).filter((x) => x.patient === PATIENTS[0])));
    const k = 5; // inside the first batch of 8
    const row = r.per_slice.find((s) => s.file === slices[k].file)!;
    const classifier = await loadModelFromDir(join(models, 'classifier'));
    const [alone] = await classify(classifier, [slices[k].image]);
    classifier.dispose();
    expect(alone).toBeCloseTo(row.probability, 5);
    // Untrained classifiers give ~0.5 everywhere, so the segmenter's mask (which varies per slice) is the sharper check.
    const segmenter = await loadModelFromDir(join(models, 'segmenter'));
    const [map] = await segment(segmenter, [slices[k].image]);
    segmenter.dispose();
    const o = overlap(postprocessMask(map, 256, 256), slices[k].mask);
    expect([o.predicted, o.intersection]).toEqual([row.predicted_pixels, row.intersection]);
    if (!hasSegmenter2) return;
    // The outline: the post-processed mean of both maps, as the app's worker computes it.
    const second = await loadModelFromDir(join(models, 'segmenter-2'));
    const [map2] = await segment(second, [slices[k].image]);
    second.dispose();
    const d = overlap(postprocessMask(meanOfMaps([map, map2]), 256, 256), slices[k].mask);
    expect([d.predicted, d.intersection]).toEqual([row.outline!.predicted_pixels, row.outline!.intersection]);
  });

  it('writes JSON that round-trips', () => {
    const back = JSON.parse(readFileSync(join(tmp, 'out', 'eval.json'), 'utf8'));
    expect(back.classifier.thresholds['0.05'].tp).toBe(r.classifier.thresholds['0.05'].tp);
    expect(back.per_slice).toHaveLength(r.slices);
  });
});

describe('report folder', () => {
  it('has report.md and the plots it links to, each a well-formed SVG', () => {
    expect(reportFiles[0]).toMatch(/report\.md$/);
    const md = readFileSync(reportFiles[0], 'utf8');
    const links = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    const combined = r.combined ? ['combined-confusion-0.05.svg', 'combined-confusion-0.5.svg', 'combined-roc.svg'] : [];
    expect(links.sort()).toEqual([...combined, 'confusion-0.05.svg', 'confusion-0.5.svg', 'dice-per-patient.svg', 'false-alarms-by-distance.svg', 'roc.svg']);
    for (const l of links) {
      const file = join(tmp, 'report', l);
      expect(existsSync(file)).toBe(true);
      expect(svgProblems(readFileSync(file, 'utf8'))).toEqual([]);
    }
  });

  it("shows each threshold's confusion matrix and sklearn classification report", () => {
    const md = readFileSync(reportFiles[0], 'utf8');
    for (const t of THRESHOLDS) {
      const s = r.classifier.thresholds[t];
      const section = md.split(`### Threshold ${t}\n`)[1].split('###')[0];
      expect(section).toContain(`| **no tumor** | ${s.tn} | ${s.fp} |`);
      expect(section).toContain(`| **tumor** | ${s.fn} | ${s.tp} |`);
      const report = section.split('```')[1].split('\n').filter(Boolean);
      expect(report[0].trim().split(/\s+/)).toEqual(['precision', 'recall', 'f1-score', 'support']);
      expect(report.map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(['precision', 'no tumor', 'tumor', 'accuracy', 'macro avg', 'weighted avg']);
      expect(report[2].trim().split(/\s+/).pop()).toBe(String(r.tumor_slices));
      expect(report[3].trim().split(/\s+/)).toEqual(['accuracy', s.accuracy.toFixed(4), String(r.slices)]);
    }
    const svg = readFileSync(join(tmp, 'report', 'confusion-0.5.svg'), 'utf8');
    const s = r.classifier.thresholds['0.5'];
    expect([...svg.matchAll(/font-size="24"[^>]*>(\d+)</g)].map((m) => Number(m[1]))).toEqual([s.tn, s.fp, s.fn, s.tp]);
  });

  it("lists where the decisions go wrong, agreeing with the decision's confusion matrix", () => {
    const md = readFileSync(reportFiles[0], 'utf8');
    const section = md.split("## Where the app's decisions go wrong\n")[1].split('\n## ')[0];
    const decision = r.combined ?? r.classifier;
    const bandTable = section.split('Tumor slices missed')[0];
    const bandRows = bandTable.split('\n').filter((l) => l.startsWith('| ')).slice(1).map((l) => l.split('|').map((c) => c.trim()));
    // Columns: distance, tumor-free slices, called at 0.5, called at 0.05 ("n (p%)").
    expect(bandRows.reduce((n, c) => n + Number(c[2]), 0)).toBe(r.slices - r.tumor_slices);
    THRESHOLDS.forEach((t, k) => {
      expect(bandRows.reduce((n, c) => n + Number(c[3 + k].split(' ')[0]), 0)).toBe(decision.thresholds[t].fp);
      expect(section).toContain(`Tumor slices missed at ${t}: ${decision.thresholds[t].fn} of ${r.tumor_slices}.`);
    });
  });

  it('is redrawn from the saved result JSON byte for byte (linking the pictures only where they are), and refuses a JSON that is not one', () => {
    const same = writeReportFromJson(join(tmp, 'out', 'eval.json'), join(tmp, 'report'));
    const original = reportFiles.map((f) => readFileSync(f, 'utf8'));
    same.forEach((f, i) => expect(readFileSync(f, 'utf8')).toBe(original[i]));
    const again = writeReportFromJson(join(tmp, 'out', 'eval.json'), join(tmp, 'report-again'));
    expect(again.map((f) => f.split('/').pop())).toEqual(reportFiles.map((f) => f.split('/').pop()));
    const picturesLine = /\nPictures of the slices behind these numbers[^\n]*\n/;
    expect(original[0]).toMatch(picturesLine);
    again.forEach((f, i) => expect(readFileSync(f, 'utf8')).toBe(original[i].replace(picturesLine, '')));
    writeFileSync(join(tmp, 'not-eval.json'), JSON.stringify({ slices: 3 }));
    expect(() => writeReportFromJson(join(tmp, 'not-eval.json'), join(tmp, 'x'))).toThrow(/not an evaluation result .*missing per_slice/);
  });

  it('links overlays.md, whose every picture is a slice of the run drawn with its truth and outline, pixel counts as scored', () => {
    expect(readFileSync(reportFiles[0], 'utf8')).toContain('[overlays.md](overlays.md)');
    expect(r.overlays?.file).toBe(join(tmp, 'report', 'overlays.md'));
    const md = readFileSync(r.overlays!.file, 'utf8');
    const pictures = [...md.matchAll(/<img src="(overlays\/[^"]+\.png)"/g)].map((m) => m[1]);
    expect(new Set(pictures).size).toBe(r.overlays!.pictures);
    expect(readdirSync(join(tmp, 'report', 'overlays')).sort()).toEqual([...new Set(pictures)].map((p) => p.slice('overlays/'.length)).sort());
    // Every patient with tumor shows its largest tumor slice.
    for (const p of PATIENTS) {
      const largest = r.per_slice.filter((s) => s.patient === p && s.tumor).sort((a, b) => b.truth_pixels - a.truth_pixels)[0];
      expect(pictures).toContain(`overlays/${largest.file.replace('.tif', '.png')}`);
    }
    const records = indexDataset(tmp);
    for (const picture of new Set(pictures)) {
      const row = r.per_slice.find((s) => `overlays/${s.file.replace('.tif', '.png')}` === picture)!;
      const png = readPng(join(tmp, 'report', picture));
      expect([png.width, png.height, png.channels]).toEqual([512, 512, 3]);
      // Each slice pixel is a 2x2 block: its top-left pixel stands for it.
      const at = (i: number) => png.pixels.subarray(((2 * Math.floor(i / 256)) * 512 + 2 * (i % 256)) * 3, ((2 * Math.floor(i / 256)) * 512 + 2 * (i % 256)) * 3 + 3);
      for (const i of [0, 1000, 33_000, 65_535]) for (const [dx, dy] of [[1, 0], [0, 1], [1, 1]]) {
        const j = ((2 * Math.floor(i / 256) + dy) * 512 + 2 * (i % 256) + dx) * 3;
        expect(Array.from(png.pixels.subarray(j, j + 3))).toEqual(Array.from(at(i)));
      }
      const slice = labeledSlices(loadSlices(records.filter((x) => x.patient === row.patient && x.imagePath.endsWith(row.file))))[0];
      // Green only where the outline alone lies, red only where the truth alone does, yellow where both: the counts
      // the evaluation scored. Everywhere else, the slice's FLAIR (channel 1) in gray, as the app first shows it.
      const drawn = row.outline ?? { predicted_pixels: row.predicted_pixels, intersection: row.intersection };
      const n = { green: 0, red: 0, yellow: 0 };
      for (let i = 0; i < 256 * 256; i++) {
        const [R, G, B] = at(i);
        const colour = overlayColour(R, G, B);
        if (colour) n[colour]++;
        else if (!slice.mask.data[i]) expect([R, G, B], `${picture} pixel ${i}`).toEqual([slice.image.data[i * 3 + 1], slice.image.data[i * 3 + 1], slice.image.data[i * 3 + 1]]);
      }
      expect(n, picture).toEqual({ green: drawn.predicted_pixels - drawn.intersection, red: row.truth_pixels - drawn.intersection, yellow: drawn.intersection });
    }
  });

  it("removeOverlays takes an earlier run's overlays.md and the pictures it lists, and nothing else", () => {
    const dir = join(tmp, 'stale');
    mkdirSync(join(dir, 'overlays'), { recursive: true });
    for (const f of ['a_1.png', 'b_2.png', 'mine.png']) writeFileSync(join(dir, 'overlays', f), 'x');
    writeFileSync(join(dir, 'notes.md'), 'x');
    writeFileSync(join(dir, 'overlays.md'), '<img src="overlays/a_1.png"><img src="overlays/b_2.png"><img src="overlays/a_1.png"><img src="../notes.md"><img src="overlays/gone.png">');
    expect(removeOverlays(dir)).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['notes.md', 'overlays']);
    expect(readdirSync(join(dir, 'overlays'))).toEqual(['mine.png']);
    expect(removeOverlays(dir)).toBe(0);
  });

  it("npm run evaluate --report again with --no-overlays leaves no earlier run's pictures beside its numbers", () => {
    const dir = join(tmp, 'cli-report');
    const args = ['--data', tmp, '--patients', PATIENTS[0], '--report', dir, '--quiet'];
    const first = runTrainingCli('evaluate', args, 240_000);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/wrote .*overlays\.md with \d+ pictures of slices/);
    const pictures = readdirSync(join(dir, 'overlays'));
    expect(pictures.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('[overlays.md](overlays.md)');
    writeFileSync(join(dir, 'overlays', 'mine.png'), 'x');
    const again = runTrainingCli('evaluate', [...args, '--no-overlays'], 240_000);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain(`removed an earlier run's overlays.md and its ${pictures.length} pictures from ${dir}`);
    expect(existsSync(join(dir, 'overlays.md'))).toBe(false);
    expect(readdirSync(join(dir, 'overlays'))).toEqual(['mine.png']);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).not.toContain('overlays.md');
  }, 480_000);

  it('warns in the report when a model is not trained', () => {
    const md = readFileSync(reportFiles[0], 'utf8');
    const untrained = r.models.classifier.trained !== true || r.models.segmenter.trained !== true;
    expect(md.includes('**Warning:**')).toBe(untrained);
  });
});

describe('--split test with cards that record metrics', () => {
  it("re-scores only the card's test patients and reproduces the card's numbers", async () => {
    // Cards as export would write them after evaluating the test split (here: the second patient), from the first run's rows.
    const dir = join(tmp, 'models-with-split');
    cpSync(models, dir, { recursive: true });
    const test = [PATIENTS[1]];
    const expected = cardTestMetrics(summarize(r.per_slice.filter((s) => test.includes(s.patient))));
    for (const name of ['classifier', 'segmenter'] as const) {
      const file = join(dir, name, 'card.json');
      const card = JSON.parse(readFileSync(file, 'utf8'));
      card.data = { source: 'test', splitSeed: 1, patients: { train: [], val: [], test }, slices: { train: 0, val: 0, test: 20 } };
      card.metrics = { test: expected[name] };
      writeFileSync(file, JSON.stringify(card));
    }
    if (hasSegmenter2) {
      const file = join(dir, 'segmenter-2', 'card.json');
      const card = JSON.parse(readFileSync(file, 'utf8'));
      card.data = { source: 'test', splitSeed: 1, patients: { train: [], val: [], test }, slices: { train: 0, val: 0, test: 20 } };
      card.metrics = { test: expected.outline };
      writeFileSync(file, JSON.stringify(card));
    }
    const combinedFile = join(dir, 'combined.json');
    if (expected.combined && existsSync(combinedFile)) {
      const combined = JSON.parse(readFileSync(combinedFile, 'utf8'));
      combined.metrics = { test: expected.combined };
      writeFileSync(combinedFile, JSON.stringify(combined));
    }
    const again = await runEvaluation({ dataDir: tmp, modelsDir: dir, split: 'test', progress: false });
    expect(again.data.patient_ids).toEqual(test);
    expect(again.card_check.compared).toBe(true);
    expect(again.card_check.rows.length).toBeGreaterThanOrEqual(expected.combined ? 20 : 9);
    expect(again.card_check.rows.some((x) => x.metric.startsWith('combined.'))).toBe(expected.combined !== null);
    expect(again.card_check.rows.filter((x) => x.metric.startsWith('outline.')).length).toBe(hasSegmenter2 ? 3 : 0);
    expect(again.card_check.all_ok).toBe(true);
  });
});

describe('prediction variants (compare only)', () => {
  const one = [PATIENTS[0]];
  it("a folder averaged with itself (the same weights, run once) scores what the folder alone scores; flipping the segmenter changes only the segmenter's rows", async () => {
    const plain = await runEvaluation({ dataDir: tmp, modelsDir: models, patients: one, progress: false, withCombined: false });
    const self = await runEvaluation({ dataDir: tmp, modelsDir: models, patients: one, progress: false, withCombined: false, variant: { alsoDirs: [models], flip: { classifier: false, segmenter: false } } });
    self.per_slice.forEach((row, i) => {
      expect(row.probability).toBeCloseTo(plain.per_slice[i].probability, 6);
      expect(row.predicted_pixels).toBe(plain.per_slice[i].predicted_pixels);
    });
    const flipped = await runEvaluation({ dataDir: tmp, modelsDir: models, patients: one, progress: false, withCombined: false, variant: { alsoDirs: [], flip: { classifier: false, segmenter: true } } });
    expect(flipped.per_slice.map((x) => x.probability)).toEqual(plain.per_slice.map((x) => x.probability));
    expect(flipped.per_slice.map((x) => x.predicted_pixels)).not.toEqual(plain.per_slice.map((x) => x.predicted_pixels));
  });
  it('refuses to score a variant with combined.json, which was fitted for one pair', async () => {
    await expect(runEvaluation({ dataDir: tmp, modelsDir: models, patients: one, progress: false, variant: { alsoDirs: [], flip: { classifier: true, segmenter: false } } })).rejects.toThrow(/without combined.json/);
  });
});
