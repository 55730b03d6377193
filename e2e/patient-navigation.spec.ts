/** Finding one's way in a patient: the slice clicked mid-run comes next, the viewer says which slice it shows, the side panel starts at the top. */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { readPngText } from '../src/io/png-text';
import { downloadFrom, dropBytes, dropFiles, fixture, NO_TUMOR, openApp, screenshot, TRAINED, TUMOR, unpackPatient, waitForPatientRun, waitForResult } from './helpers';

const PATIENT = 'TCGA_CS_4942_19970222';

const analyzed = (page: import('@playwright/test').Page) => page.evaluate(() => (window as any).__lgg.patient().slices.filter((s: any) => s.analysis).length);

test('a slice clicked while the patient runs is analyzed next, and the viewer names it by its slice number', async ({ page }) => {
  test.setTimeout(300_000);
  const { tmp, files } = unpackPatient(PATIENT);
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(files);
  await page.waitForFunction(() => (window as any).__lgg.patient().slices.some((s: any) => s.analysis), undefined, { timeout: 120_000 });
  // The patient opens on its middle slice, analyzed first (before: slice 1, nearly black).
  await expect(page.getByTestId('view-label')).toHaveText(`Slice 10 · ${PATIENT}_10.tif`);
  expect(await page.evaluate(() => (window as any).__lgg.patient().slices.map((s: any) => !!s.analysis).indexOf(true))).toBe(9);
  await page.getByTestId('thumb').nth(15).click();
  const atClick = await analyzed(page);
  expect(atClick).toBeLessThan(12); // far enough from slice 16 for the order to show
  await expect(page.getByTestId('view-label')).toHaveText(`Slice 16 · ${PATIENT}_16.tif`);
  await page.waitForFunction(() => !!(window as any).__lgg.patient().slices[15].analysis, undefined, { timeout: 120_000 });
  // At most the slice in progress at the click came before it (in slice order, slices 1-15 would have).
  expect(await analyzed(page)).toBeLessThanOrEqual(atClick + 2);
  await waitForPatientRun(page, 20);
  // The patient's "PNG of view" says which patient and which slice of how many, and carries the threshold in its name.
  const png = await downloadFrom(page, 'export-png');
  expect(png.name).toBe(`${PATIENT}_16_view_t0.50.png`);
  expect(readPngText(png.bytes).Description).toMatch(new RegExp(`^${PATIENT}, slice 16: ${PATIENT}_16.tif · FLAIR in gray`));
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('opening a patient after scrolling the side panel down shows the panel from its top', async ({ page }) => {
  test.setTimeout(300_000);
  const { tmp, files } = unpackPatient(PATIENT);
  await openApp(page);
  await dropFiles(page, [fixture(`${TUMOR}.tif`), fixture(`${TUMOR}_mask.tif`)]);
  await waitForResult(page, `${TUMOR}.tif`);
  await expect(page.getByTestId('view-label')).toHaveText(`${TUMOR}.tif`);
  const side = page.locator('aside.side');
  await side.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  expect(await side.evaluate((el) => el.scrollTop)).toBeGreaterThan(200);
  await page.getByTestId('file-input').setInputFiles(files);
  await expect(page.getByTestId('patient-panel')).toBeVisible();
  await expect.poll(() => side.evaluate((el) => el.scrollTop)).toBe(0);
  await expect(page.getByTestId('patient-panel')).toBeInViewport();
  await waitForPatientRun(page, 20);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a mask dropped while a patient is open goes to the slice it is named for; a slice dropped alone says it closed the patient', async ({ page }) => {
  test.setTimeout(300_000);
  const { tmp, files } = unpackPatient(PATIENT);
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(files.filter((f) => !f.endsWith('_mask.tif')));
  await waitForPatientRun(page, 20);
  await expect(page.getByTestId('view-label')).toHaveText(`Slice 10 · ${PATIENT}_10.tif`);
  // Slice 10 is on screen; the mask of slice 3 joins slice 3, not the slice shown (before: refused as another slice's).
  await dropFiles(page, [files.find((f) => f.endsWith(`${PATIENT}_3_mask.tif`))!]);
  await expect(page.getByRole('status').filter({ hasText: `Ground truth added to ${PATIENT}_3.tif of the patient.` })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__lgg.patient().slices.map((s: any) => !!s.truth))).toEqual(Array.from({ length: 20 }, (_, i) => i === 2));
  await expect(page.getByTestId('confusion')).toContainText('Confusion over 1 slice');
  await page.getByTestId('thumb').nth(2).click();
  await expect(page.getByTestId('scores')).toBeVisible();

  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  await waitForResult(page, `${TUMOR}.tif`);
  await expect(page.getByTestId('patient-strip')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: `${TUMOR}.tif opened alone, which closed the patient view of ${PATIENT}` })).toBeVisible();
  // The message about the earlier files went when these were opened.
  await expect(page.getByTestId('messages')).not.toContainText('Ground truth added');
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('slices of the patient open join it, its results and selection kept; another patient\'s close it, saying so; earlier messages go', async ({ page }) => {
  test.setTimeout(300_000);
  const { tmp, files } = unpackPatient(PATIENT);
  const file = (n: number, mask = false) => files.find((f) => f.endsWith(`${PATIENT}_${n}${mask ? '_mask' : ''}.tif`))!;
  const state = () =>
    page.evaluate(() => {
      const p = (window as any).__lgg.patient();
      return { runId: p.runId, files: p.slices.map((s: any) => s.name.file), probs: p.slices.map((s: any) => s.analysis?.probability ?? null), selected: p.selected };
    });
  const messages = page.getByTestId('messages');
  await openApp(page);
  // Slices 1, 2, 5 and 6 with their masks: 3 and 4 are a gap.
  await dropFiles(page, [1, 2, 5, 6].flatMap((n) => [file(n), file(n, true)]));
  await waitForPatientRun(page, 4);
  await expect(page.getByTestId('patient-missing')).toContainText('slices 3-4 not given');
  await page.getByTestId('thumb').nth(2).click(); // slice 5
  // An error about another file, to see it go when the next files are opened.
  await dropBytes(page, [{ name: 'broken.tif', b64: Buffer.from('not a tiff').toString('base64') }]);
  await expect(messages.locator('li.error')).toContainText('broken.tif');
  const before = await state();

  // Slices 3 and 4 fill the gap. Before: a patient of those 2 slices replaced the 4 analyzed, their results lost.
  await dropFiles(page, [file(3), file(4), file(3, true), file(4, true)]);
  await expect(messages).toContainText(`2 slices added to ${PATIENT} (slices 3 and 4)`);
  await expect(messages.locator('li')).toHaveCount(1); // the error about broken.tif went
  await waitForPatientRun(page, 6);
  const after = await state();
  expect(after.files).toEqual([1, 2, 3, 4, 5, 6].map((n) => `${PATIENT}_${n}.tif`));
  expect(after.runId).toBe(before.runId);
  // The 4 results kept (not analyzed again), the 2 added analyzed; slice 5 still selected and on screen.
  expect([after.probs[0], after.probs[1], after.probs[4], after.probs[5]]).toEqual(before.probs);
  expect(after.probs.every((p: number | null) => typeof p === 'number')).toBe(true);
  expect(after.selected).toBe(4);
  await expect(page.getByTestId('view-label')).toHaveText(`Slice 5 · ${PATIENT}_5.tif`);
  await expect(page.getByTestId('patient-missing')).toHaveCount(0);
  await expect(page.getByTestId('confusion')).toContainText('Confusion over 6 slices');
  await page.evaluate(() => document.querySelector('.side')!.scrollTo(0, 0));
  await screenshot(page, 'patient-slices-added');

  // Slice 3 again, the same file: the one analyzed is kept, and the user is told.
  await dropFiles(page, [file(3)]);
  await expect(messages).toContainText(`Slice 3 of ${PATIENT} was already open with the same image: the copy given was not read again`);
  await expect(messages.locator('li')).toHaveCount(1);
  expect((await state()).probs).toEqual(after.probs);
  await expect(page.getByTestId('patient-strip')).toBeVisible();

  // Two slices of another patient open that patient, and say the patient view of this one was closed.
  await dropFiles(page, [fixture(`${TUMOR}.tif`), fixture(`${NO_TUMOR}.tif`)]);
  await expect(messages).toContainText(`TCGA_FG_6688_20020215 (2 slices) opened, which closed the patient view of ${PATIENT} (6 slices).`);
  await waitForPatientRun(page, 2);
  expect((await state()).files).toEqual([`${NO_TUMOR}.tif`, `${TUMOR}.tif`]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('N and Shift+N, or the strip\'s arrows, step through the slices called tumor at the threshold, round the ends', async ({ page }) => {
  test.setTimeout(300_000);
  const { tmp, files } = unpackPatient(PATIENT);
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(files.filter((f) => !f.endsWith('_mask.tif')));
  await waitForPatientRun(page, 20);
  const probs: number[] = await page.evaluate(() => (window as any).__lgg.patient().slices.map((s: any) => s.analysis.probability));
  const selectedNow = () => page.evaluate(() => (window as any).__lgg.patient().selected as number);
  for (const t of [0.5, 0.05]) {
    await page.getByTestId('threshold-slider').fill(String(t));
    const flagged = probs.flatMap((p, i) => (p >= t ? [i] : []));
    expect(flagged.length).toBeGreaterThanOrEqual(2); // this patient's tumor spans several slices
    await expect(page.getByTestId('flagged-count')).toHaveText(`${flagged.length} called tumor`);
    // The panel names them, runs of neighbours as ranges ("slices 2, 8-16 and 18"): slice numbers are positions + 1 here.
    const runs: string[] = [];
    for (let k = 0; k < flagged.length; k++) {
      let e = k;
      while (e + 1 < flagged.length && flagged[e + 1] === flagged[e] + 1) e++;
      runs.push(e === k ? `${flagged[k] + 1}` : `${flagged[k] + 1}-${flagged[e] + 1}`);
      k = e;
    }
    await expect(page.getByTestId('patient-flagged')).toHaveText(`: slices ${runs.length === 1 ? runs[0] : `${runs.slice(0, -1).join(', ')} and ${runs.at(-1)}`}`);
    const from = await selectedNow();
    const next = flagged.find((i) => i > from) ?? flagged[0];
    const previous = [...flagged].reverse().find((i) => i < next) ?? flagged.at(-1)!;
    // From the threshold slider just moved (before: N was ignored on any form control).
    await expect(page.getByTestId('threshold-slider')).toBeFocused();
    await page.keyboard.press('n');
    await expect.poll(selectedNow).toBe(next);
    // A screen reader is told where the step landed (before: nothing live changed).
    await expect(page.getByTestId('slice-status')).toHaveText(new RegExp(`^Slice ${next + 1}: 0\\.\\d{3}, called tumor`));
    await page.keyboard.press('Shift+N');
    await expect.poll(selectedNow).toBe(previous);
    await page.getByRole('button', { name: 'Next slice called tumor' }).click();
    await expect.poll(selectedNow).toBe(next);
    // From the last flagged slice, "next" goes round to the first, and says so (before: only the slice was named).
    await page.getByTestId('thumb').nth(flagged.at(-1)!).click();
    await page.getByRole('button', { name: 'Next slice called tumor' }).click();
    await expect.poll(selectedNow).toBe(flagged[0]);
    await expect(page.getByTestId('slice-status')).toHaveText(new RegExp(`^Round the end to the first slice called tumor\\. Slice ${flagged[0] + 1}: 0\\.\\d{3}, called tumor`));
    await page.keyboard.press('Shift+N');
    await expect.poll(selectedNow).toBe(flagged.at(-1)!);
    await expect(page.getByTestId('slice-status')).toHaveText(new RegExp(`^Round the end to the last slice called tumor\\. Slice ${flagged.at(-1)! + 1}: `));
  }
  // A threshold only one slice reaches: N on it says it is the only one (before: nothing was said, nothing moved).
  const only = [...Array(99).keys()].map((k) => (k + 1) / 100).find((t) => probs.filter((p) => p >= t).length === 1);
  if (TRAINED) expect(only, 'the shipped models give this patient one slice above the rest').toBeDefined();
  if (only !== undefined) {
    await page.evaluate((t) => (window as any).__lgg.state().setThreshold(t), only);
    await expect(page.getByTestId('flagged-count')).toHaveText('1 called tumor');
    await page.getByTestId('thumb').nth(probs.findIndex((p) => p >= only)).click();
    await page.keyboard.press('n');
    await expect(page.getByTestId('slice-status')).toHaveText(`This is the only slice called tumor at ${only.toFixed(2)}.`);
  }
  await screenshot(page, 'patient-flagged-nav');
  // A threshold no slice reaches, with focus on the arrow: the arrows stay (focus with them), and a step says there is none.
  const nextButton = page.getByRole('button', { name: 'Next slice called tumor' });
  await nextButton.focus();
  await page.evaluate(() => (window as any).__lgg.state().setThreshold(1));
  test.skip(Math.max(...probs) >= 1, 'a slice at probability 1 is called tumor at every threshold');
  await expect(page.getByTestId('flagged-count')).toHaveText('0 called tumor');
  await expect(nextButton).toBeFocused();
  await expect(nextButton).toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('slice-status')).toHaveText('No slice is called tumor at 1.00.');
  // Asked again, it is said again: the live region's text must change to be spoken (a no-break space is added or taken).
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('slice-status').evaluate((e) => e.textContent)).toBe('No slice is called tumor at 1.00.\u00a0');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('slice-status').evaluate((e) => e.textContent)).toBe('No slice is called tumor at 1.00.');
  fs.rmSync(tmp, { recursive: true, force: true });
});
