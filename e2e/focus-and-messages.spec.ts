/**
 * Where the eye and the keyboard go when something is said or answered: a new message is brought into view, focus
 * never falls to the page's top after a button it was on goes away, and the offline/update message covers no control.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { NO_TUMOR, TUMOR, dropBytes, fixture, openApp, setThreshold, waitForResult } from './helpers';

const focusedName = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  return el === document.body || !el ? 'body' : el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName;
});

/** The element drawn at the centre of `target`: itself (or inside it) when nothing covers it. */
const uncovered = (target: Locator) => target.evaluate((el) => {
  const r = el.getBoundingClientRect();
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !!top && (el === top || el.contains(top));
});

test('a message about a dropped file is brought into view with the side panel scrolled down; closing messages hands focus on', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles([fixture(`${TUMOR}.tif`), fixture(`${TUMOR}_mask.tif`)]);
  await waitForResult(page, `${TUMOR}.tif`);
  const side = page.locator('aside.side');
  await side.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  expect(await side.evaluate((el) => el.scrollTop)).toBeGreaterThan(200);
  await dropBytes(page, [{ name: 'notes.txt', b64: Buffer.from('not an image').toString('base64') }]);
  const alert = page.getByTestId('messages').getByRole('alert');
  await expect(alert).toContainText('notes.txt');
  // Before: the alert went in at the panel's top, 300 px above what was visible.
  await expect(alert).toBeInViewport();

  // Two messages: closing the first hands focus to the second's close button, closing that one to "Open slice…".
  await dropBytes(page, [{ name: 'a.txt', b64: 'eA==' }, { name: 'b.tif', b64: Buffer.from('II*\0garbage').toString('base64') }]);
  const closers = page.getByTestId('messages').getByRole('button', { name: /^Dismiss: / });
  await expect(closers).toHaveCount(2);
  await closers.first().focus();
  await page.keyboard.press('Enter');
  await expect(closers).toHaveCount(1);
  await expect(closers.first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('messages')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Open slice…' })).toBeFocused();
});

test('removing or adding a ground truth hands focus to the button that takes the place of the one pressed', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles([fixture(`${NO_TUMOR}.tif`), fixture(`${NO_TUMOR}_mask.tif`)]);
  await page.waitForFunction(() => (window as any).__lgg.patient().slices.length === 0 && !!(window as any).__lgg.state().current?.truth);
  await page.getByRole('button', { name: 'Remove' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Add ground-truth mask…' })).toBeFocused(); // before: <body>
  await page.getByTestId('truth-input').setInputFiles([fixture(`${NO_TUMOR}_mask.tif`)]);
  await expect(page.getByRole('button', { name: 'Remove' })).toBeFocused();
  expect(await focusedName(page)).toBe('Remove');
});

test('the offline message covers no control reached with Tab, and Escape closes it, focus going back where it was', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles([fixture(`${TUMOR}.tif`)]);
  await waitForResult(page, `${TUMOR}.tif`);
  await setThreshold(page, 0.5);
  const prompt = page.getByTestId('update-prompt');
  await expect(prompt).toContainText('Ready to work offline');
  // The side panel's last control, reached from the keyboard: before, it lay under the message.
  const controls = page.locator('aside.side').locator('button:visible, select:visible, input:visible, summary:visible');
  const last = controls.last();
  await controls.nth((await controls.count()) - 2).focus();
  await page.keyboard.press('Tab');
  await expect(last).toBeFocused();
  expect(await uncovered(last)).toBe(true);
  // On into the message, and out with Escape: the message goes, focus is back on that control.
  await page.keyboard.press('Tab');
  await expect(prompt.getByRole('button', { name: /^Dismiss/ })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(prompt).toHaveCount(0);
  await expect(last).toBeFocused();
});

test('the one-key shortcuts can be turned off (WCAG 2.1.4), their hints go with them, and the choice is remembered', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles([fixture(`${TUMOR}.tif`)]);
  await waitForResult(page, `${TUMOR}.tif`);
  const threshold = () => page.evaluate(() => (window as any).__lgg.state().threshold as number);
  const showPrediction = () => page.evaluate(() => (window as any).__lgg.state().overlay.showPrediction as boolean);
  await page.locator('body').press('2');
  expect(await threshold()).toBe(0.05);
  await page.locator('body').press('1');
  expect(await threshold()).toBe(0.5);
  await expect(page.getByTestId('key-hints')).toBeVisible();

  await page.getByTestId('single-keys').uncheck();
  await page.locator('body').press('2');
  await page.locator('body').press('p');
  expect(await threshold()).toBe(0.5);
  expect(await showPrediction()).toBe(true);
  await expect(page.getByTestId('key-hints')).toHaveCount(0);
  await expect(page.getByTestId('overlay-key-hints')).toHaveCount(0);
  await expect(page.getByTestId('threshold-slider')).not.toHaveAttribute('aria-keyshortcuts');

  await openApp(page);
  await expect(page.getByTestId('single-keys')).not.toBeChecked();
  await page.locator('body').press('2');
  expect(await threshold()).toBe(0.5);
  await page.getByTestId('single-keys').check();
  await page.locator('body').press('2');
  expect(await threshold()).toBe(0.05);
});
