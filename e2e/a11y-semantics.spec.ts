/**
 * What a screen-reader or keyboard user meets beyond axe's rules (review-a11y, findings 2, 6, 7, 8, 11, 12): the slice
 * strip's names, orientation and focus ring; live regions that say the decision, the models' readiness and a run's
 * end once, and no more; the patient heading's name; where focus goes when its button unmounts; focus rings axe
 * does not check.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { isTumor } from '../src/core/thresholds';
import path from 'node:path';
import { fixture, NO_TUMOR, openApp, screenshot, SCREENSHOTS, SMALL_TUMOR, TUMOR, dropFiles, waitForEngine, waitForResult } from './helpers';

const FIRST = 'TCGA_FG_6688_20020215'; // slices 12 (no tumor in its mask) and 20 (tumor in its mask)
const SECOND = 'TCGA_HT_8113_19930809';

/** Two patients' fixture slices with masks: the first opens in the patient view, which offers the second. */
async function openTwoPatients(page: Page): Promise<void> {
  await dropFiles(page, [TUMOR, NO_TUMOR, SMALL_TUMOR].flatMap((n) => [fixture(`${n}.tif`), fixture(`${n}_mask.tif`)]));
  await expect(page.getByTestId('patient-select')).toBeVisible();
  await settled(page);
}

const settled = (page: Page) =>
  page.waitForFunction(() => {
    const p = (window as any).__lgg.patient();
    return p.slices.length > 0 && p.slices.every((s: any) => s.analysis || s.error) && !p.running;
  }, undefined, { timeout: 120_000 });

/** The live region `el` speaks in (its own or an ancestor's), or null: explicit aria-live first, then implicit roles. */
const liveRegionOf = (loc: Locator) =>
  loc.evaluate((el) => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      const live = e.getAttribute('aria-live');
      if (live) return live === 'off' ? null : `${e.tagName.toLowerCase()}[aria-live=${live}]`;
      const role = e.getAttribute('role') ?? (e.tagName === 'OUTPUT' ? 'status' : null);
      if (role && ['status', 'alert', 'log', 'marquee', 'timer'].includes(role)) return `${e.tagName.toLowerCase()}[role=${role}]`;
    }
    return null;
  });

/** The outline and shadow that show focus (or selection) on `loc`. */
const ring = (loc: Locator) =>
  loc.evaluate((el) => {
    const s = getComputedStyle(el);
    return { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, offset: s.outlineOffset, shadow: s.boxShadow };
  });

/** Records each text the elements matching `selector` hold, from now on (a live region's successive announcements). */
async function recordTexts(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const said: string[] = ((window as any).__said = []);
    const look = () => {
      const el = document.querySelector(sel);
      const text = el ? (el.textContent ?? '').trim() : null;
      if (text !== null && said.at(-1) !== text) said.push(text);
    };
    look();
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, selector);
}
const recorded = (page: Page) => page.evaluate(() => (window as any).__said as string[]);

test('#6: each slice in the strip is named by its number, probability, decision and mask, in a horizontal listbox that ArrowUp/ArrowDown also move through', async ({ page }) => {
  await openApp(page);
  await openTwoPatients(page);
  const probs = await page.evaluate(() => (window as any).__lgg.patient().slices.map((s: any) => s.analysis.probability as number));
  const name = (slice: number, p: number, mask: boolean) => `Slice ${slice}: ${p.toFixed(3)}, ${isTumor(p, 0.5) ? 'called tumor' : 'not called tumor'}${mask ? '; tumor in its mask' : ''}`;
  const list = page.getByRole('listbox', { name: 'Slices' });
  // Soft, with short waits (the run is over): on the old code each part is reported.
  const soon = { timeout: 5_000 };
  await expect.soft(list).toHaveAttribute('aria-orientation', 'horizontal', soon);
  // Quoted whole: the names hold ": ", which the snapshot's YAML would read as a key.
  await expect.soft(list).toMatchAriaSnapshot(`
    - listbox "Slices":
      - 'option "${name(12, probs[0], false)}"'
      - option "13-19 not given"
      - 'option "${name(20, probs[1], true)}"'
  `, soon);
  // Up and down, as a screen reader announces for a listbox, move like left and right.
  const thumbs = page.getByTestId('thumb');
  await thumbs.first().click();
  await page.keyboard.press('ArrowDown');
  await expect.soft(thumbs.nth(1)).toHaveAttribute('aria-selected', 'true', soon);
  await expect.soft(thumbs.nth(1)).toBeFocused(soon);
  await page.keyboard.press('ArrowUp');
  await expect.soft(thumbs.first()).toHaveAttribute('aria-selected', 'true', soon);
});

test('#6: a focused thumb looks different from the thumb that is merely selected', async ({ page }) => {
  await openApp(page);
  await openTwoPatients(page);
  await page.getByTestId('thumb').first().click();
  await page.keyboard.press('ArrowRight'); // the keyboard moves the selection, and focus follows it
  const thumb = page.getByTestId('thumb').nth(1);
  await expect(thumb).toBeFocused();
  await expect(thumb).toHaveAttribute('aria-selected', 'true');
  const focused = await ring(thumb);
  await page.evaluate(() => document.querySelector('.side')!.scrollTo(0, 0));
  await page.getByTestId('patient-strip').screenshot({ path: path.join(SCREENSHOTS, 'a11y-strip-focused.png') });
  await page.keyboard.press('Tab'); // focus leaves the strip; the thumb stays selected
  await expect(thumb).not.toBeFocused();
  await expect(thumb).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('patient-strip').screenshot({ path: path.join(SCREENSHOTS, 'a11y-strip-selected.png') });
  expect(focused).not.toEqual(await ring(thumb));
});

test('#7: only the decision is live, the threshold value is not, and the slider says its value and preset', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  await waitForResult(page, `${TUMOR}.tif`);
  const decision = page.getByTestId('decision');
  await expect(decision).toHaveText(/at threshold 0\.50$/);
  // Soft, with short waits (the result is in): on the old code each part is reported.
  const soon = { timeout: 5_000 };
  // The region that announces the decision says the decision, not the number, file name and "Combines…" with it.
  const region = page.getByRole('status').filter({ has: decision });
  await expect(region).toHaveCount(1);
  await expect.soft(region).toHaveText((await decision.textContent())!, soon);
  await expect(page.getByTestId('probability-parts')).toBeVisible();
  expect.soft(await liveRegionOf(page.getByTestId('probability-parts'))).toBeNull();
  expect.soft(await liveRegionOf(page.getByTestId('probability'))).toBeNull();
  // The slider announces its own steps; the value shown in the heading must not say them a second time.
  expect.soft(await liveRegionOf(page.getByTestId('threshold-value'))).toBeNull();
  const slider = page.getByTestId('threshold-slider');
  await expect.soft(slider).toHaveAttribute('aria-valuetext', '0.50, default', soon);
  await page.keyboard.press(']');
  await expect(page.getByTestId('threshold-value')).toHaveText('0.51');
  await expect.soft(slider).toHaveAttribute('aria-valuetext', '0.51', soon);
  await page.keyboard.press('2');
  await expect(page.getByTestId('threshold-value')).toHaveText('0.05');
  await expect.soft(slider).toHaveAttribute('aria-valuetext', '0.05, high recall', soon);
  await page.keyboard.press('1');
  await page.evaluate(() => document.querySelector('.side')!.scrollTo(0, 0));
  await screenshot(page, 'a11y-side-panel');
});

test('#8: the models becoming ready is announced once, with the backend, by a status region there from the start', async ({ page }) => {
  await page.addInitScript(() => {
    const said: string[] = ((window as any).__said = []);
    const look = () => {
      const el = document.querySelector('[aria-labelledby="models-h"] [role="status"]');
      const text = el ? (el.textContent ?? '').trim() : null;
      if (text !== null && said.at(-1) !== text) said.push(text);
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await openApp(page);
  const backend = await page.evaluate(() => (window as any).__lgg.state().engine.backend.name as string);
  await expect.poll(() => recorded(page)).toEqual(['', expect.stringMatching(new RegExp(`^Models ready, running on ${backend}\\b`))]);
  // Loading progress is not live (no percentage read out at every shard).
  await page.waitForTimeout(500);
  expect(await recorded(page)).toHaveLength(2);
});

test("#8: a patient run's end is announced once; the per-slice progress is not live", async ({ page }) => {
  await openApp(page);
  await recordTexts(page, '[data-testid="patient-run-status"]');
  await openTwoPatients(page);
  const flagged = await page.evaluate(() => (window as any).__lgg.patient().slices.filter((s: any) => s.analysis.probability >= 0.5).length);
  const end = `Run finished: 2 of 2 slices analyzed, ${flagged} called tumor at 0.50.`;
  await expect(page.getByTestId('patient-run-status')).toHaveText(end);
  expect(await liveRegionOf(page.getByTestId('patient-progress-text'))).toBeNull();
  // A new threshold changes the figures, not what the run's end said.
  await page.keyboard.press('2');
  await expect(page.getByTestId('threshold-value')).toHaveText('0.05');
  await page.waitForTimeout(300);
  expect((await recorded(page)).filter(Boolean)).toEqual([end]);
});

test('#11: the patient heading (and its region) is named by the patient alone; the close button sits beside it', async ({ page }) => {
  await openApp(page);
  await openTwoPatients(page);
  const heading = page.getByRole('heading', { level: 2, name: `Patient ${FIRST}`, exact: true });
  await expect(heading).toBeVisible();
  await expect(page.getByRole('region', { name: `Patient ${FIRST}`, exact: true })).toBeVisible();
  const close = page.getByRole('button', { name: 'Close the patient' });
  await expect(close).toBeVisible();
  // Same look: on the heading's line, right after it.
  const [h, b] = [(await heading.boundingBox())!, (await close.boundingBox())!];
  expect(b.y).toBeLessThan(h.y + h.height);
  expect(b.y + b.height).toBeGreaterThan(h.y);
  await page.evaluate(() => document.querySelector('.side')!.scrollTo(0, 0));
  await page.getByTestId('patient-panel').screenshot({ path: path.join(SCREENSHOTS, 'a11y-patient-heading.png') });
});

test('#2: after "Load the models again", focus is on the models heading, not on the page', async ({ page }) => {
  await page.route('**/models/classifier/*shard2*', (route) => route.abort('failed'));
  await page.goto('/');
  await page.waitForFunction(() => (window as any).__lgg?.state().engine.phase === 'failed', undefined, { timeout: 120_000 });
  await page.unrouteAll();
  await page.getByTestId('retry-models').focus();
  await page.keyboard.press('Enter');
  const heading = page.getByRole('heading', { name: 'Models and backend' });
  await expect(heading).toBeFocused();
  await waitForEngine(page);
  await expect(heading).toBeFocused();
  await page.locator('[aria-labelledby="models-h"]').screenshot({ path: path.join(SCREENSHOTS, 'a11y-models-ready.png') });
});

test('#2: opening another patient from the chooser keeps focus on the chooser (Enter in the select, and "Open")', async ({ page }) => {
  await openApp(page);
  await openTwoPatients(page);
  const select = page.getByTestId('patient-select');
  await select.selectOption(SECOND);
  await select.press('Enter');
  await expect(page.getByText('Patient 2 of 2 in the files given')).toBeVisible();
  await settled(page);
  await expect(select).toBeFocused();
  await select.selectOption(FIRST);
  await page.getByTestId('patient-open').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Patient 1 of 2 in the files given')).toBeVisible();
  await settled(page);
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toMatch(/^patient-(select|open)$/);
});

test('#12: the zoomed image region and the summaries get the 2px accent focus ring, the image region inset', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  await waitForResult(page, `${TUMOR}.tif`);
  const accent = 'solid 2px rgb(91, 155, 213)';
  await page.getByRole('button', { name: '4×' }).click();
  await page.getByRole('button', { name: 'Fit' }).focus();
  await page.keyboard.press('Shift+Tab');
  const region = page.getByRole('region', { name: 'Zoomed image: the arrow keys pan' });
  await expect(region).toBeFocused();
  // Inside .viewer (overflow: hidden) a ring drawn outside the region would be clipped.
  expect(await ring(region)).toMatchObject({ outline: accent, offset: '-2px' });
  await page.getByTestId('single-keys').focus();
  await page.keyboard.press('Tab');
  const summary = page.locator('summary', { hasText: 'Model cards' });
  await expect(summary).toBeFocused();
  expect((await ring(summary)).outline).toBe(accent);
});
