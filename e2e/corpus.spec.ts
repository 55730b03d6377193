/**
 * A sample of the bad-input corpus (scripts/make-bad-corpus.ts) dropped in the page: each refused file gets a
 * message naming it and its problem, each odd-but-usable file is analysed with its conversion notes shown,
 * and after every one the fixture slice still gives its probability.
 */
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { writeCorpus, type ManifestEntry } from '../scripts/make-bad-corpus';
import { REPO, TUMOR, dropFiles, fixture, openApp, waitForResult } from './helpers';

const DIR = path.join(REPO, 'test-results/bad-corpus');
const REFUSED = ['mask-other-size_mask.tif', 'empty.tif', 'truncated-header.tif', 'truncated-in-ifd.tif', 'truncated-mid-strip.tif', 'lzw-garbage.tif', 'random-after-header.tif', 'huge-dimensions.tif', 'huge-decoded.tif', 'cmyk.tif', 'jpeg-compressed.tif', 'bigtiff.tif'];
const DECODED = ['gray16.tif', 'float32.tif', 'size-100x37.tif', 'tiled.tif', 'multi-page.tif', 'palette.tif', 'large-50mb.tif'];
const AT_ONCE = ['bits12.tif', 'five-channels.tif', 'strip-past-end.tif', 'deflate-garbage.tif', 'no-pixel-data.tif', 'ycbcr.tif'];

let manifest: ManifestEntry[];
test.beforeAll(() => {
  manifest = writeCorpus(DIR);
});
const entry = (file: string) => manifest.find((m) => m.file === file)!;
const pick = (page: Page, files: string[]) => page.getByTestId('file-input').setInputFiles(files.map((f) => path.join(DIR, f)));

test('bad files get a message naming the file and the problem; the fixture still works after each', async ({ page }) => {
  test.setTimeout(600_000);
  await openApp(page);
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  const reference = await waitForResult(page, `${TUMOR}.tif`);
  const shown = `${(reference.probability * 100).toFixed(1)}%`;

  for (const file of REFUSED) {
    const want = entry(file).expect;
    if (want.outcome !== 'refused') throw new Error(`${file} is not a refusal case`);
    await pick(page, [file]);
    const messages = page.getByTestId('messages');
    const expected = Array.isArray(want.message) ? new RegExp(want.message.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')) : want.message;
    await expect(messages.getByText(`${file}:`, { exact: false }).last()).toContainText(expected);
    // The last good result stays on screen.
    await expect(page.getByTestId('probability')).toHaveText(shown);
    // Same file name as the slice on screen: wait for the new drop to replace it before reading the result.
    const before = await page.evaluate(() => (window as any).__lgg.state().current.id);
    await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
    await page.waitForFunction((id) => (window as any).__lgg.state().current.id !== id, before);
    expect((await waitForResult(page, `${TUMOR}.tif`)).probability).toBe(reference.probability);
  }
});

test('odd but usable files are analysed with their conversion notes; the fixture still works after each', async ({ page }) => {
  test.setTimeout(600_000);
  await openApp(page);
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  const reference = await waitForResult(page, `${TUMOR}.tif`);
  for (const file of DECODED) {
    const want = entry(file).expect;
    if (want.outcome !== 'decoded') throw new Error(`${file} is not a decode case`);
    await pick(page, [file]);
    const result = await waitForResult(page, file);
    expect(result.probability).toBeGreaterThanOrEqual(0);
    for (const note of want.notes ?? []) await expect(page.getByTestId('slice-notes')).toContainText(note);
    if (want.samePixelsAs === 'fixture') expect(result.probability).toBe(reference.probability);
    await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
    expect((await waitForResult(page, `${TUMOR}.tif`)).probability).toBe(reference.probability);
  }
});

test('many bad files at once: one message each, then the fixture works', async ({ page }) => {
  await openApp(page);
  await pick(page, AT_ONCE);
  for (const file of AT_ONCE) {
    const want = entry(file).expect;
    if (want.outcome !== 'refused') throw new Error(`${file} is not a refusal case`);
    await expect(page.getByTestId('messages').getByText(`${file}:`)).toContainText(want.message as string);
  }
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  await waitForResult(page, `${TUMOR}.tif`);
});

test.afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));
