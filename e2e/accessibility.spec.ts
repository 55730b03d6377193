/**
 * axe-core's WCAG 2.x rules on the app as a user meets it: the empty page, a slice with its ground truth, an error
 * message and the model cards open, a patient of two slices with masks (confusion matrix, report, curves, the choice of another
 * patient) and the phone layout.
 * Any violation fails, whatever axe calls its impact, and the failure lists each rule and element.
 */
import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { NO_TUMOR, SMALL_TUMOR, TUMOR, dropBytes, dropFiles, fixture, openApp, waitForResult } from './helpers';

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  // A scan that checked nothing would pass anything: make sure rules ran.
  expect(result.passes.length).toBeGreaterThan(20);
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${v.help}`));
}

test.beforeEach(async ({ page }) => {
  await openApp(page);
});

const PHONE = { width: 390, height: 844 };

test('the empty page has no axe violations, on a desktop and a phone', async ({ page }) => {
  expect(await violations(page)).toEqual([]);
  await page.setViewportSize(PHONE);
  expect(await violations(page)).toEqual([]);
});

test('a slice with its ground truth, an error message and the model cards open has no axe violations, on a desktop and a phone', async ({ page }) => {
  await dropFiles(page, [fixture(`${SMALL_TUMOR}.tif`), fixture(`${SMALL_TUMOR}_mask.tif`)]);
  await waitForResult(page, `${SMALL_TUMOR}.tif`);
  await dropBytes(page, [{ name: 'notes.txt', b64: Buffer.from('not a slice').toString('base64') }]);
  await expect(page.getByRole('alert').filter({ hasText: 'notes.txt: not an image' })).toBeVisible();
  await page.getByText('Model cards').click();
  await expect(page.getByTestId('card-combined')).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.setViewportSize(PHONE);
  expect(await violations(page)).toEqual([]);
});

test('a patient with masks (confusion matrix, report, curves, the choice of patient) has no axe violations, on a desktop and a phone', async ({ page }) => {
  // Two patients' files: the first opens in the patient view, which offers the other.
  await dropFiles(page, [TUMOR, NO_TUMOR, SMALL_TUMOR].flatMap((n) => [fixture(`${n}.tif`), fixture(`${n}_mask.tif`)]));
  await expect(page.getByTestId('confusion')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('patient-select')).toBeVisible();
  await page.waitForFunction(() => !(window as any).__lgg.patient().running, undefined, { timeout: 120_000 });
  expect(await violations(page)).toEqual([]);
  await page.setViewportSize(PHONE);
  expect(await violations(page)).toEqual([]);
});
