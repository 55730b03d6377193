/** A whole patient at once: 20 slices with masks, analyzed in the background; metrics checked against Node. */
import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasTumor } from '../src/core/image';
import { parseCsv, parseResultsCsv } from '../src/io/exportCsv';
import { rasterToMask } from '../src/io/raster';
import { decodeTiff } from '../src/io/tiff';
import { downloadFrom, openApp, REPO, screenshot, setThreshold, sixteenBitCopy, unpackPatient, waitForPatientRun } from './helpers';

const PATIENT = 'TCGA_CS_4942_19970222';
const readMask = (file: string) => rasterToMask(decodeTiff(fs.readFileSync(file), path.basename(file)).raster).value;

async function shownConfusion(page: Page) {
  const cell = async (k: string) => Number(await page.getByTestId(`cm-${k}`).textContent());
  return { tp: await cell('tp'), fp: await cell('fp'), tn: await cell('tn'), fn: await cell('fn') };
}

function confusion(labels: boolean[], probs: number[], t: number) {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  labels.forEach((truth, i) => {
    const pred = probs[i] >= t;
    c[truth ? (pred ? 'tp' : 'fn') : pred ? 'fp' : 'tn']++;
  });
  return c;
}

test('a dropped patient: strip, live metrics that match an independent computation, CSV and mask export', async ({ page }) => {
  test.setTimeout(600_000);
  const { tmp, dir } = unpackPatient(PATIENT);
  const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
  const images = files.filter((f) => !f.endsWith('_mask.tif'));
  expect(images.length).toBe(20);

  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(files);
  await expect(page.getByTestId('patient-strip')).toBeVisible();
  await waitForPatientRun(page, images.length, 540_000);
  const run = await page.evaluate(() => {
    const p = (window as any).__lgg.patient();
    return { ms: p.finishedAt - p.startedAt, probs: p.slices.map((s: any) => [s.name.file, s.analysis?.probability ?? null]) as [string, number | null][] };
  });
  console.log(`patient ${PATIENT}: ${images.length} slices in ${(run.ms / 1000).toFixed(1)} s = ${((images.length / run.ms) * 1000).toFixed(2)} slices/s (${await page.getByTestId('engine-chip').textContent()})`);
  expect(run.probs.every(([, p]) => typeof p === 'number')).toBe(true);
  // Ordered by slice number.
  expect(run.probs.map(([f]) => Number(/_(\d+)\.tif$/.exec(f)![1]))).toEqual(images.map((_, i) => i + 1));
  await expect(page.getByTestId('thumb')).toHaveCount(images.length);

  // The CSV round-trips: same files and probabilities as the page holds.
  const csv = await downloadFrom(page, 'export-csv');
  expect(parseCsv(csv.bytes.toString('utf8'))[0]).toEqual(['file', 'probability', 'classifier_probability', 'decision', 'predicted_tumor_pixels', 'truth_tumor', 'dice', 'threshold', 'input_note']);
  const rows = parseResultsCsv(csv.bytes.toString('utf8'));
  // The threshold is recorded on every row and in the name, so an export at 0.05 does not overwrite this one.
  const shownThreshold = await page.getByTestId('threshold-value').textContent();
  expect(csv.name).toBe(`${PATIENT}_results_t${shownThreshold}.csv`);
  expect(new Set(rows.map((r) => r.threshold))).toEqual(new Set([shownThreshold]));
  // Probabilities to 6 decimals: the page's, rounded; the classifier's own beside them.
  expect(rows.map((r) => r.file)).toEqual(run.probs.map(([f]) => f));
  rows.forEach((r, i) => expect(Math.abs(Number(r.probability) - run.probs[i][1]!)).toBeLessThanOrEqual(5e-7));
  const classifierProbs: number[] = await page.evaluate(() => (window as any).__lgg.patient().slices.map((s: any) => s.analysis.classifierProbability));
  rows.forEach((r, i) => expect(Math.abs(Number(r.classifier_probability) - classifierProbs[i])).toBeLessThanOrEqual(5e-7));
  const probs = run.probs.map(([, p]) => p!);

  // Independent confusion matrix from the truth masks decoded in Node.
  const truth = rows.map((r) => readMask(path.join(dir, r.file.replace(/\.tif$/, '_mask.tif'))));
  const labels = truth.map(hasTumor);
  expect(rows.map((r) => r.truth_tumor)).toEqual(labels.map((t) => (t ? 'yes' : 'no')));
  const t0 = Number(await page.getByTestId('threshold-value').textContent());
  const c0 = confusion(labels, probs, t0);
  expect(await shownConfusion(page)).toEqual(c0);
  const prec = c0.tp + c0.fp ? c0.tp / (c0.tp + c0.fp) : 0;
  const rec = c0.tp + c0.fn ? c0.tp / (c0.tp + c0.fn) : 0;
  await expect(page.getByTestId('s-precision')).toHaveText(prec.toFixed(2));
  await expect(page.getByTestId('s-recall')).toHaveText(rec.toFixed(2));
  await expect(page.getByTestId('s-accuracy')).toHaveText(((c0.tp + c0.tn) / labels.length).toFixed(2));
  await expect(page.getByTestId('s-specificity')).toHaveText((c0.tn + c0.fp ? c0.tn / (c0.tn + c0.fp) : 0).toFixed(2));

  // The exported masks (a stored zip of 8-bit TIFFs) give the 3-D Dice the page shows; decisions match the CSV.
  const zip = await downloadFrom(page, 'export-masks');
  expect(zip.name).toBe(`${PATIENT}_predicted_masks_t${shownThreshold}.zip`);
  const out = path.join(tmp, 'masks');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, zip.name), zip.bytes);
  execFileSync('python3', ['-c', 'import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', path.join(out, zip.name), out]);
  let inter = 0, pred = 0, tru = 0;
  rows.forEach((r, i) => {
    // Named <slice>_predicted_mask.tif: unzipped beside the slices, never taken for (or written over) their truth.
    const m = readMask(path.join(out, r.file.replace(/\.tif$/, '_predicted_mask.tif')));
    const area = m.data.reduce((n, v) => n + v, 0);
    expect(area).toBe(Number(r.predicted_tumor_pixels));
    if (r.decision === 'no tumor') expect(area).toBe(0);
    for (let k = 0; k < m.data.length; k++) (inter += m.data[k] & truth[i].data[k]), (pred += m.data[k]), (tru += truth[i].data[k]);
  });
  const dice3d = pred + tru === 0 ? 1 : (2 * inter) / (pred + tru);
  await expect(page.getByTestId('dice3d')).toHaveText(dice3d.toFixed(3));
  // Pixel counts with thousands separators, as the slice panel writes them ("7,485", not "7485").
  const n = (x: number) => x.toLocaleString('en');
  await expect(page.getByTestId('dice3d-pixels')).toHaveText(` — ${n(inter)} px overlap, ${n(pred)} predicted, ${n(tru)} true`);
  await expect(page.getByTestId('volume').locator('b')).toHaveText(n(pred));
  expect(pred).toBeGreaterThanOrEqual(1000); // so the separator is there to see

  // Moving the slider changes the confusion matrix (to a threshold that splits the predictions differently).
  const positives = (t: number) => probs.filter((p) => p >= t).length;
  const t1 = Array.from({ length: 99 }, (_, i) => (i + 1) / 100).find((t) => positives(t) !== positives(t0))!;
  await setThreshold(page, t1);
  const c1 = confusion(labels, probs, t1); // differs from c0 by the choice of t1
  await expect.poll(() => shownConfusion(page)).toEqual(c1);
  const csv1 = await downloadFrom(page, 'export-csv');
  expect(csv1.name).toBe(`${PATIENT}_results_t${t1.toFixed(2)}.csv`);
  expect(parseResultsCsv(csv1.bytes.toString('utf8'))[0].threshold).toBe(t1.toFixed(2));
  await setThreshold(page, t0);

  // Keyboard: ArrowRight moves to the next slice in the main view.
  await page.getByTestId('thumb').nth(9).click();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => page.evaluate(() => (window as any).__lgg.state().current.name.file)).toBe(run.probs[10][0]);
  // In the slice list, End and Home go to the last and the first slice, and focus follows.
  await page.keyboard.press('End');
  await expect.poll(() => page.evaluate(() => (window as any).__lgg.state().current.name.file)).toBe(run.probs[19][0]);
  await expect(page.getByTestId('thumb').nth(19)).toBeFocused();
  await page.keyboard.press('Home');
  await expect.poll(() => page.evaluate(() => (window as any).__lgg.state().current.name.file)).toBe(run.probs[0][0]);
  await expect(page.getByTestId('thumb').first()).toBeFocused();
  await page.getByTestId('thumb').nth(10).click();
  await page.evaluate(() => document.querySelector('.side')!.scrollTo(0, 0));
  await screenshot(page, 'patient-view');
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('without masks: probabilities along the volume with the threshold line, no accuracy figures; the strip in the view\'s channel', async ({ page }) => {
  test.setTimeout(300_000);
  const { tmp, dir } = unpackPatient(PATIENT);
  // Three images only, out of order: the strip orders them by slice number.
  const picked = [12, 3, 7].map((n) => path.join(dir, `${PATIENT}_${n}.tif`));
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(picked);
  await waitForPatientRun(page, 3);
  await expect(page.getByTestId('thumb')).toHaveCount(3);
  await expect(page.getByTestId('thumb').first()).toHaveAttribute('title', `${PATIENT}_3.tif`);
  await expect(page.getByTestId('prob-plot')).toBeVisible();
  await expect(page.getByTestId('prob-plot').locator('rect')).toHaveCount(3);
  await expect(page.getByTestId('confusion')).toHaveCount(0);
  const probs: number[] = await page.evaluate(() => (window as any).__lgg.patient().slices.map((s: any) => s.analysis.probability));
  await expect(page.getByTestId('prob-plot').locator('rect.above')).toHaveCount(probs.filter((p) => p >= 0.5).length);
  await screenshot(page, 'patient-no-masks');

  // The strip shows the channel the main view shows: FLAIR in gray first, the three sequences once RGB is chosen.
  const thumbGray = () =>
    page.evaluate(() => {
      const c = document.querySelectorAll<HTMLCanvasElement>('[data-testid="thumb-canvas"]')[2];
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let gray = 0, lit = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 60) (lit += 1), (gray += d[i] === d[i + 1] && d[i + 1] === d[i + 2] ? 1 : 0);
      return { lit, grayShare: gray / lit };
    });
  const flair = await thumbGray();
  expect(flair.lit).toBeGreaterThan(5000);
  expect(flair.grayShare).toBe(1);
  await page.locator('input[name="channel"][value="rgb"]').check({ force: true });
  expect((await thumbGray()).grayShare).toBeLessThan(0.2);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a slice that could not be read is named in the strip and the panel, and the 3-D figures say they cover the slices read', async ({ page }) => {
  test.setTimeout(300_000);
  const { tmp, dir } = unpackPatient(PATIENT);
  // Slices 4-6 with their masks; slice 5 cut short (a copy that never finished).
  const picked = [4, 5, 6].flatMap((n) => [`${PATIENT}_${n}.tif`, `${PATIENT}_${n}_mask.tif`]).map((f) => path.join(dir, f));
  fs.writeFileSync(path.join(dir, `${PATIENT}_5.tif`), fs.readFileSync(path.join(dir, `${PATIENT}_5.tif`)).subarray(0, 50_000));
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(picked);
  await waitForPatientRun(page, 2);
  await expect(page.getByTestId('messages').locator('li.error')).toContainText(`${PATIENT}_5.tif`);
  // The strip keeps slice 5's place, and says it is missing; before, it went from 4 to 6 with "2/2 slices analyzed".
  await expect(page.getByTestId('thumb')).toHaveCount(2);
  await expect(page.getByTestId('thumbs').locator('> *')).toHaveCount(3);
  await expect(page.getByTestId('thumbs').locator('> *').nth(1)).toHaveAttribute('data-testid', 'thumb-unread');
  await expect(page.getByTestId('thumb-unread')).toHaveText('✕5 unread');
  const reason = (await page.getByTestId('messages').locator('li.error [role="alert"]').first().textContent())!;
  expect(reason).toMatch(new RegExp(`^${PATIENT}_5.tif: `));
  await expect(page.getByTestId('thumb-unread')).toHaveAttribute('title', reason);
  await expect(page.getByTestId('patient-progress-text')).toHaveText(`${PATIENT}: 2/2 slices analyzed; slice 5 could not be read`);
  await expect(page.getByTestId('patient-gaps')).toContainText('2 of 3 slices: slice 5 could not be read');
  // The reason stays with the patient (the messages are cleared when more files open): in the panel, as the message said.
  await expect(page.getByTestId('unread-reason')).toHaveText(reason);
  await expect(page.getByTestId('patient-panel')).toContainText('3-D Dice (two-stage, over the 2 slices read)');
  await expect(page.getByTestId('volume')).toContainText('summed over the 2 slices read');
  // The other keys still move through the slices read.
  await page.getByTestId('thumb').first().click();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => page.evaluate(() => (window as any).__lgg.state().current.name.file)).toBe(`${PATIENT}_6.tif`);
  await screenshot(page, 'patient-unread-slice');
  // The placeholder is a disabled option of the slice list: no axe violation (the rules accessibility.spec.ts runs).
  const axe = await new AxeBuilder({ page }).include('[data-testid="patient-strip"]').include('[data-testid="patient-panel"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  expect(axe.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))).toEqual([]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a data folder picked with "Open folder…": the first patient opens, the other is offered and opens, stray files are one note, a broken image one error, told once', async ({ page }) => {
  test.setTimeout(300_000);
  // A folder as people have them: two patients' subfolders, each with masks, plus notes and system files.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'folder-'));
  const fixtures = path.resolve(REPO, '../shared/data/lgg/fixtures');
  for (const [patient, slices] of [['TCGA_FG_6688_20020215', [12, 20]], ['TCGA_HT_8113_19930809', [12]]] as const) {
    fs.mkdirSync(path.join(root, patient));
    for (const n of slices)
      for (const suffix of ['', '_mask']) fs.copyFileSync(path.join(fixtures, `${patient}_${n}${suffix}.tif`), path.join(root, patient, `${patient}_${n}${suffix}.tif`));
  }
  fs.writeFileSync(path.join(root, 'README.txt'), 'slices exported for review');
  fs.writeFileSync(path.join(root, '.DS_Store'), Buffer.from([0, 0, 0, 1, 66, 117, 100, 49]));
  fs.writeFileSync(path.join(root, 'TCGA_FG_6688_20020215', 'data.csv'), 'file,label\n');
  // A folder copied from a Mac has an AppleDouble twin beside each file: it names no patient (it opened a patient of none).
  fs.writeFileSync(path.join(root, 'TCGA_HT_8113_19930809', '._TCGA_HT_8113_19930809_12.tif'), Buffer.from([0, 5, 22, 7, 0, 2, 0, 0]));
  // And a TIFF cut short in a copy: a real error, to be told once, not again at each change of patient.
  fs.writeFileSync(path.join(root, 'scan.tif'), fs.readFileSync(path.join(fixtures, 'TCGA_FG_6688_20020215_12.tif')).subarray(0, 4096));
  const shownFiles = (): Promise<string[]> => page.evaluate(() => (window as any).__lgg.patient().slices.map((s: any) => s.name.file));
  const settled = () =>
    page.waitForFunction(() => {
      const p = (window as any).__lgg.patient();
      return p.slices.length > 0 && !p.running;
    }, undefined, { timeout: 240_000 });

  await openApp(page);
  await page.getByTestId('folder-input').setInputFiles(root);
  await settled();
  expect(await shownFiles()).toEqual(['TCGA_FG_6688_20020215_12.tif', 'TCGA_FG_6688_20020215_20.tif']);
  await expect(page.getByTestId('patient-panel')).toContainText('TCGA_FG_6688_20020215');
  // Both masks were paired: the confusion matrix counts the two slices.
  await expect(page.getByTestId('confusion')).toContainText('Confusion over 2 slices');
  // Slice 12 (shown first) has no tumor in its mask and none predicted at 0.50: Dice and IoU are not a perfect
  // "1.000" but n/a, in the slice's panel and the patient's.
  await expect(page.getByTestId('mask-summary')).toContainText('No mask');
  await expect(page.getByTestId('dice')).toHaveText('n/a');
  await expect(page.getByTestId('iou')).toHaveText('n/a');
  await expect(page.getByTestId('scores-na')).toContainText('n/a (no tumor in either)');
  await expect(page.getByTestId('slice-dice')).toHaveText('n/a (no tumor in either)');
  // The probability along the volume stays with masks, with a mark under the slice whose mask holds tumor (slice 20).
  await expect(page.getByTestId('prob-plot').locator('rect.bar')).toHaveCount(2);
  await expect(page.getByTestId('prob-plot').locator('rect.truth-mark')).toHaveCount(1);
  const messages = page.getByTestId('messages');
  await expect(messages).toContainText('The files hold 2 patients; the patient view shows one at a time, TCGA_FG_6688_20020215 (2 slices) first.');
  await expect(messages).toContainText('4 files are not images this app reads and were skipped:');
  await expect(messages.locator('li')).toHaveCount(3);
  // Stray files in a folder are a note, not an error; the broken image is an error.
  await expect(messages.locator('li.error')).toHaveCount(1);
  await expect(messages.locator('li.error')).toContainText('scan.tif');
  await expect(page.getByText('Patient 1 of 2 in the files given')).toBeVisible();
  await screenshot(page, 'patient-folder');

  // The other patient, from the same files, without picking the folder again. Choosing in the select (arrow keys
  // included) only picks; "Open" opens. Before, each change of the select opened a patient, abandoning the run.
  const select = page.getByTestId('patient-select');
  const openButton = page.getByRole('button', { name: /^Open the chosen patient/ });
  await expect(openButton).toBeDisabled(); // the patient chosen is the one open
  await select.focus();
  await page.keyboard.press('ArrowDown');
  await select.selectOption('TCGA_HT_8113_19930809');
  await expect(openButton).toBeEnabled();
  await expect(openButton).toHaveAccessibleName('Open the chosen patient, TCGA_HT_8113_19930809');
  await page.waitForTimeout(500);
  expect(await shownFiles()).toEqual(['TCGA_FG_6688_20020215_12.tif', 'TCGA_FG_6688_20020215_20.tif']);
  await expect(page.getByText('Patient 1 of 2 in the files given')).toBeVisible();
  await screenshot(page, 'patient-folder-chosen');
  await openButton.press('Enter');
  await expect.poll(shownFiles).toEqual(['TCGA_HT_8113_19930809_12.tif']);
  await settled();
  await expect(page.getByText('Patient 2 of 2 in the files given')).toBeVisible();
  await expect(select).toHaveValue('TCGA_HT_8113_19930809');
  await expect(page.getByRole('button', { name: /^Open the chosen patient/ })).toBeDisabled();
  await expect(page.getByTestId('confusion')).toContainText('Confusion over 1 slice with');
  // The messages about the first opening went with it; the files without a slice number were read with the first
  // patient: nothing about them is said again.
  await expect(messages.locator('li')).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).__lgg.state().current.name.file)).toBe('TCGA_HT_8113_19930809_12.tif');
  fs.rmSync(root, { recursive: true, force: true });
});

test('what users do while a patient runs: cancel and resume, a backend switch, removing a truth, closing mid-run', async ({ page }) => {
  test.setTimeout(600_000);
  const { tmp, dir } = unpackPatient(PATIENT);
  const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
  const patient = () => page.evaluate(() => {
    const p = (window as any).__lgg.patient();
    return { running: p.running, analyzed: p.slices.filter((s: any) => s.analysis).length, errors: p.slices.filter((s: any) => s.error).length };
  });
  const analyzedAtLeast = (n: number) => page.waitForFunction((k) => (window as any).__lgg.patient().slices.filter((s: any) => s.analysis).length >= k, n, { timeout: 240_000 });
  const settled = () => page.waitForFunction(() => !(window as any).__lgg.patient().running, undefined, { timeout: 240_000 });
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(files);

  // Cancel: the run stops; a slice it did not reach says so, and Resume finishes the rest.
  await analyzedAtLeast(2);
  await page.getByTestId('patient-cancel').click();
  await settled();
  const stoppedAt = (await patient()).analyzed;
  expect(stoppedAt).toBeLessThan(20);
  await expect(page.getByTestId('patient-progress-text')).toContainText('(stopped)');
  await page.getByTestId('thumb').nth(15).click();
  await expect(page.getByTestId('thumb').nth(15)).toContainText('–');
  await expect(page.getByText('Not analyzed: the run over this patient stopped before this slice')).toBeVisible();
  await page.getByTestId('patient-resume').click();

  // A backend switch mid-run (the same backend: the engine restarts all the same). Before, it closed the analyzer under
  // the run and every slice after it failed with "the analyzer was closed".
  await analyzedAtLeast(stoppedAt + 2);
  expect((await patient()).running).toBe(true);
  await page.getByRole('combobox', { name: 'Backend setting' }).selectOption('wasm');
  await settled();
  expect(await patient()).toEqual({ running: false, analyzed: 20, errors: 0 });
  await expect(page.getByTestId('patient-progress-text')).toHaveText(`${PATIENT}: 20/20 slices analyzed`);
  await expect(page.getByTestId('thumb').nth(15)).not.toContainText('–');

  // Removing a slice's truth changes the patient's figures and stays removed when the slice is shown again.
  await expect(page.getByTestId('confusion')).toContainText('Confusion over 20 slices');
  await page.getByTestId('thumb').nth(9).click();
  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('confusion')).toContainText('Confusion over 19 slices');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  expect(await page.evaluate(() => (window as any).__lgg.state().current.truth)).toBeNull();

  // Closing mid-run: the slice on screen, not reached yet, is analyzed on its own (it stayed on "Analyzing…" before),
  // and focus goes to "Open slice…", not the page's start. (The patient is closed before it is opened again: its slices
  // given again while it is open would join it, each kept with its result.)
  await page.getByRole('button', { name: 'Close the patient' }).click();
  const runBefore = await page.evaluate(() => (window as any).__lgg.patient().runId);
  await page.getByTestId('file-input').setInputFiles(files);
  await page.waitForFunction((r) => (window as any).__lgg.patient().runId > r, runBefore, { timeout: 120_000 });
  await page.getByTestId('thumb').nth(19).click();
  expect(await page.evaluate(() => (window as any).__lgg.state().current.analysis)).toBeNull();
  await page.getByRole('button', { name: 'Close the patient' }).press('Enter');
  await expect(page.getByTestId('patient-strip')).toHaveCount(0);
  await page.waitForFunction(() => {
    const c = (window as any).__lgg.state().current;
    return c.name.file.endsWith('_20.tif') && c.analysis?.combined && !c.analyzing;
  }, undefined, { timeout: 120_000 });
  await expect(page.locator('#open-slice')).toBeFocused();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a slice re-encoded as 16-bit in a patient is flagged in the strip, the panel and the CSV; the figures say which slices were given', async ({ page }) => {
  test.setTimeout(300_000);
  const { tmp, dir } = unpackPatient(PATIENT);
  // Slices 7-9 with masks, slice 8 saved again with 16-bit samples (its 8-bit values times 16).
  const picked = [7, 8, 9].flatMap((n) => [`${PATIENT}_${n}.tif`, `${PATIENT}_${n}_mask.tif`]);
  fs.writeFileSync(path.join(dir, `${PATIENT}_8.tif`), sixteenBitCopy(path.join(dir, `${PATIENT}_8.tif`)));
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(picked.map((f) => path.join(dir, f)));
  await waitForPatientRun(page, 3);
  // Soft, with short waits (the run is over): on the old code each part is reported.
  const soon = { timeout: 5_000 };
  const thumbs = page.getByTestId('thumb');
  await expect.soft(thumbs.nth(1).getByTestId('thumb-flag')).toHaveText('!', soon);
  await expect.soft(thumbs.nth(1)).toHaveAttribute('title', /outside the validated input: 16-bit samples stretched to 8 bits/, soon);
  await expect.soft(page.getByTestId('thumb-flag')).toHaveCount(1, soon);
  await expect.soft(page.getByTestId('patient-input-notes')).toHaveText('slice 8: outside the validated input (16-bit samples stretched to 8 bits).', soon);
  // Slices 7-9 with no gap: not "whole patient" (the app cannot know the patient has no other slices).
  const panel = page.getByTestId('patient-panel');
  await expect.soft(panel).toContainText('3-D Dice (two-stage, the 3 slices given, 7-9)', soon);
  await expect.soft(panel).not.toContainText('whole patient', soon);
  await expect.soft(page.getByTestId('volume')).toContainText('summed over the 3 slices given, 7-9)', soon);
  const csv = await downloadFrom(page, 'export-csv');
  const text = csv.bytes.toString('utf8');
  expect.soft(parseCsv(text)[0].at(-1)).toBe('input_note');
  const rows = parseResultsCsv(text);
  expect.soft(rows.map((r) => r.input_note)).toEqual(['', '16-bit samples stretched to 8 bits', '']);
  // Dice to 6 decimals, like the probabilities.
  for (const r of rows) expect.soft(r.dice).toMatch(/^(|\d(\.\d{1,6})?)$/);
  await page.getByTestId('thumb').nth(1).click();
  await page.evaluate(() => document.querySelector('.side')!.scrollTo(0, 0));
  await screenshot(page, 'patient-16bit');
  fs.rmSync(tmp, { recursive: true, force: true });
});
