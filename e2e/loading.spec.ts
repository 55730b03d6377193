/** Model loading is visible: per-model download progress while the shards arrive, then the backend and why. */
import { expect, test, type Route } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { dropFiles, fixture, HAS_SEGMENTER2, NO_TUMOR, REPO, shippedCard, screenshot, SMALL_TUMOR, stats, TUMOR, waitForEngine, waitForResult } from './helpers';

test('shows download progress for both models while they load', async ({ page }) => {
  // Hold back the weight shards a little so the progress is observable.
  await page.route('**/models/**/*.bin*', async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  await page.goto('/');
  await expect(page.getByTestId('loading')).toBeVisible();
  await expect(page.getByTestId('engine-chip')).toHaveText('loading models…');
  await page.waitForFunction(() => {
    const { receivedBytes, totalBytes } = (window as any).__lgg.state().engine.progress.classifier;
    return receivedBytes > 0 && receivedBytes < totalBytes;
  });
  await screenshot(page, '00-loading');
  await waitForEngine(page);
  await expect(page.getByTestId('loading')).toHaveCount(0);
  await expect(page.getByTestId('engine-chip')).toHaveText('wasm');
  await expect(page.getByTestId('backend-info')).toContainText(/Backend ready in .* models loaded .* warmed up in/);
});

test('a slice dropped while the models load is analyzed as soon as they are built, without a warm-up run first', async ({ page }) => {
  await page.route('**/models/**/*.bin*', async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  await page.goto('/');
  await page.getByTestId('drop-target').waitFor();
  expect(await page.evaluate(() => (window as any).__lgg.state().engine.phase)).toBe('loading');
  // Every text the decision line shows, so the one shown while waiting cannot be missed between two looks.
  await page.evaluate(() => {
    const said: string[] = ((window as any).__said = []);
    const line = () => document.querySelector('[data-testid="decision"]')?.textContent ?? '';
    new MutationObserver(() => said.at(-1) !== line() && said.push(line())).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  const { classifierProbability } = await waitForResult(page, `${TUMOR}.tif`);
  // While the models load, the page says the slice waits for them (it said "Analyzing…" with the download at 0%).
  expect(await page.evaluate(() => (window as any).__said)).toContain(`${TUMOR}.tif is analyzed as soon as the models have loaded (progress under "Models and backend")…`);
  expect(classifierProbability).toBeGreaterThan(0.5); // the shipped classifier calls the large-tumor fixture tumor
  await waitForEngine(page);
  const engine = await page.evaluate(() => (window as any).__lgg.state().engine);
  expect(engine.warmUp).toBe('skipped');
  expect(engine.warmupMs).toBe(0);
  await expect(page.getByTestId('backend-info')).toContainText('warm-up left to the first slice');
});

test('the probability is on screen before the mask follows', async ({ page }) => {
  // Records what the page shows every 5 ms from its first script on, so the in-between state cannot go unseen.
  await page.addInitScript(() => {
    (window as any).__seen = [];
    setInterval(() => {
      const c = (window as any).__lgg?.state().current;
      if (!c?.analysis) return;
      const what = c.analyzing ? `probability ${c.analysis.probability} without mask, segmenting ${c.segmenting}` : `mask ${c.analysis.segmentation ? 'in' : 'absent'}`;
      const seen = (window as any).__seen as string[];
      if (seen[seen.length - 1] !== what) seen.push(what);
      const said = document.querySelector('[data-testid="decision"]')?.textContent ?? '';
      if (c.analyzing && !(window as any).__saidWhilePartial?.includes(said)) ((window as any).__saidWhilePartial ??= []).push(said);
    }, 5);
  });
  await page.goto('/');
  await page.getByTestId('drop-target').waitFor();
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  const { classifierProbability } = await waitForResult(page, `${TUMOR}.tif`);
  const seen: string[] = await page.evaluate(() => (window as any).__seen);
  // First the classifier's probability, then the mask (and with it the combined probability).
  expect(seen).toEqual([`probability ${classifierProbability} without mask, segmenting true`, 'mask in']);
  // No verdict for the classifier's number alone: on this slice it says 82% where the combined probability says 29%.
  const saidWhilePartial: string[] = await page.evaluate(() => (window as any).__saidWhilePartial);
  expect(saidWhilePartial.filter((t) => /Tumor likely|No tumor detected/.test(t))).toEqual([]);
  expect(saidWhilePartial).toContain('Decision pending at threshold 0.50: the outlined area completes the probability');
  const c = await page.evaluate(() => (window as any).__lgg.state().current);
  expect(c.dropToProbabilityMs).toBeLessThan(c.dropToResultMs);
  await expect(page.getByTestId('timing')).toContainText('probability at');
});

// A network failure (the request aborted) and a server that answers 404 with a body that is no weight file.
const segmenterFailures: [string, (route: Route) => Promise<void>][] = [
  ['aborted', (route) => route.abort('failed')],
  ['answered 404', (route) => route.fulfill({ status: 404, body: 'gone' })],
];
for (const [how, fail] of segmenterFailures) {
  test(`a segmenter whose weights are ${how} is named, and the classifier still gives the slice its probability`, async ({ page }) => {
    await page.route('**/models/segmenter/*.bin*', fail); // *.bin*: the build versions shard URLs (.bin?v=<hash>)
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto('/');
    await page.getByTestId('drop-target').waitFor();
    await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
    await page.waitForFunction(() => {
      const c = (window as any).__lgg.state().current;
      return c && !c.analyzing && c.error;
    });
    const c = await page.evaluate(() => (window as any).__lgg.state().current);
    expect(c.analysis.probability).toBeGreaterThan(0.5); // the large-tumor fixture, from the classifier alone
    expect(c.analysis.combined).toBe(false);
    expect(c.analysis.segmentation).toBeNull();
    await expect(page.getByTestId('probability-parts')).toHaveText("The classifier's probability alone: the combined one needs the segmenter's mask.");
    expect(c.error).toContain('the segmenter model could not be loaded');
    await expect(page.getByTestId('decision')).toHaveText('Tumor likely at threshold 0.50');
    await expect(page.getByTestId('mask-error')).toContainText('The mask could not be computed: the segmenter model could not be loaded');
    await expect(page.getByTestId('mask-summary')).toContainText('No mask (it could not be computed');
    await expect(page.getByTestId('timing')).toHaveCount(0); // no "the mask follows" once it has failed
    const alert = page.getByRole('alert').filter({ hasText: 'The models could not start' });
    await expect(alert).toContainText('segmenter');
    // It names the file that failed (before: model.json and the browser's "Failed to fetch"), and, when the file did not
    // arrive at all, what to do.
    await expect(alert).toContainText(how === 'aborted' ? /models\/segmenter\/group1-shard\d+of\d+\.bin did not arrive/ : /models\/segmenter\/group1-shard\d+of\d+\.bin: the server answered HTTP 404/);
    if (how === 'aborted') await expect(alert).toContainText('check the connection, then "Load the models again"');
    else await expect(alert).not.toContainText('check the connection');
    // Said on the page, and nothing thrown past it (tfjs' progress tracking left each failed request unhandled).
    expect(pageErrors).toEqual([]);
    // The classifier's card came with its files: the presets show what the classifier alone does on test patients.
    await expect(page.getByTestId('preset-metrics')).toContainText('On the held-out test patients (classifier)');
    await page.getByText('Model cards').click();
    await expect(page.getByTestId('card-classifier')).toBeVisible();
    await expect(page.getByTestId('card-combined')).toHaveCount(0);
    // The card names the data set, not the training machine's folder, and counts with separators.
    const data = shippedCard('classifier').data!;
    await expect(page.getByTestId('card-classifier')).toContainText(`Data: the LGG MRI Segmentation set (Buda et al. 2019; ${data.patients.train.length + data.patients.val.length + data.patients.test.length} of its 110 patients)`);
    await expect(page.getByTestId('card-classifier')).toContainText(`${data.slices.train.toLocaleString('en')} / ${data.slices.val} / ${data.slices.test} slices`);
    await expect(page.getByTestId('card-classifier')).not.toContainText(data.source);
  });
}

test('without combined.json the classifier alone gives the probability, and the page says so', async ({ page }) => {
  await page.route('**/models/combined.json', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto('/');
  await waitForEngine(page);
  await expect(page.getByTestId('combined-note')).toContainText('no combined probability at');
  await expect(page.getByTestId('combined-note')).toContainText('the classifier alone gives the probability');
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  const { probability, classifierProbability } = await waitForResult(page, `${TUMOR}.tif`);
  expect(probability).toBe(classifierProbability);
  await expect(page.getByTestId('probability-parts')).toHaveCount(0);
  await expect(page.getByTestId('decision')).toHaveText('Tumor likely at threshold 0.50');
});

test.describe('the second segmenter', () => {
  // A service worker would serve the precached segmenter-2 after the reload, past the route that removes it.
  test.use({ serviceWorkers: 'block' });
  test('without the second segmenter the first draws the outline alone, the page says so, and the probability is the same', async ({ page }) => {
    test.skip(!HAS_SEGMENTER2, 'no second segmenter ships in public/models');
    // With both: the combined probability reads the first segmenter's area only, so it cannot change when the second is gone.
    await page.goto('/');
    await waitForEngine(page);
    await expect(page.getByTestId('segmenter2-note')).toHaveCount(0);
    await dropFiles(page, [fixture(`${SMALL_TUMOR}.tif`)]);
    const both = await waitForResult(page, `${SMALL_TUMOR}.tif`);
    const bothState = await page.evaluate(() => {
      const a = (window as any).__lgg.state().current.analysis;
      return { segmenters: a.segmenters, decisionArea: a.decisionArea };
    });
    expect(bothState.segmenters).toBe(2);
    await expect(page.getByTestId('probability-parts')).toContainText('the outline shown averages both segmenters');
    const s = await stats(page);
    expect(s.segmenter2Runs).toBe(s.segmenterRuns);
    await page.getByText('Model cards').click();
    await expect(page.getByTestId('card-segmenter2')).toContainText('Scored: the outline the app draws');
    await expect(page.getByTestId('card-combined')).toContainText('pixels the first segmenter outlines');

    await page.route('**/models/segmenter-2/**', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.reload();
    await waitForEngine(page);
    await expect(page.getByTestId('segmenter2-note')).toContainText('the first segmenter draws the outline alone');
    await dropFiles(page, [fixture(`${SMALL_TUMOR}.tif`)]);
    const alone = await waitForResult(page, `${SMALL_TUMOR}.tif`);
    const aloneState = await page.evaluate(() => {
      const a = (window as any).__lgg.state().current.analysis;
      return { segmenters: a.segmenters, decisionArea: a.decisionArea, outlineArea: a.segmentation.data.reduce((n: number, v: number) => n + (v ? 1 : 0), 0) };
    });
    expect(aloneState.segmenters).toBe(1);
    expect(alone.probability).toBeCloseTo(both.probability, 5);
    // The first segmenter's own mask is drawn now: its area is what the combined probability read in both runs.
    expect(aloneState.decisionArea).toBe(bothState.decisionArea);
    expect(aloneState.outlineArea).toBe(aloneState.decisionArea);
    await expect(page.getByTestId('probability-parts')).toHaveText(/with the outlined area \([\d,]+ px\)\.$/);
    expect((await stats(page)).segmenter2Runs).toBe(0);
  });
});

test('a broken combined.json is named, and the classifier alone gives the probability', async ({ page }) => {
  await page.route('**/models/combined.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"kind":"combined-tumor-probability","weights":{}}' }));
  await page.goto('/');
  await waitForEngine(page);
  await expect(page.getByTestId('combined-note')).toContainText('combined.json: weights must hold finite numbers');
});

// What a mis-deploy looks like: files that load and build fine but are not the model the slot needs, or not the bytes
// the card was written with. Each must stop with a message that names it, never give a number (model-checks.ts).
const SHIPPED = path.join(REPO, 'public/models');
const serveFrom = (folder: string, edit: (file: string, bytes: Buffer) => Buffer = (_f, b) => b) => async (route: Route) => {
  const file = new URL(route.request().url()).pathname.split('/').pop()!;
  const at = path.join(SHIPPED, folder, file);
  if (!fs.existsSync(at)) return route.fulfill({ status: 404, body: 'gone' });
  await route.fulfill({ status: 200, contentType: file.endsWith('.json') ? 'application/json' : 'application/octet-stream', body: edit(file, fs.readFileSync(at)) });
};

test.describe('files that are not what the slot needs', () => {
  test.use({ serviceWorkers: 'block' }); // the routes must see every model request

  test("the segmenter's files under classifier/ are refused by name instead of giving a mask's pixel as the probability", async ({ page }) => {
    await page.route('**/models/classifier/**', serveFrom('segmenter'));
    await page.goto('/');
    await page.getByTestId('drop-target').waitFor();
    await expect(page.getByRole('alert').filter({ hasText: 'The models could not start' })).toContainText('its card.json describes a segmenter, not a classifier');
    await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
    await page.waitForFunction(() => (window as any).__lgg.state().current?.error);
    expect(await page.evaluate(() => (window as any).__lgg.state().current.analysis)).toBeNull();
  });

  test("the segmenter's model.json and shards beside the classifier's card are refused: by digest, and without one by shape", async ({ page }) => {
    const classifierCard = (withDigest: boolean) => {
      const card = JSON.parse(fs.readFileSync(path.join(SHIPPED, 'classifier/card.json'), 'utf8'));
      if (!withDigest) delete card.weights.sha256; // a card written before digests were
      return Buffer.from(JSON.stringify(card));
    };
    const alert = page.getByRole('alert').filter({ hasText: 'The models could not start' });
    await page.route('**/models/classifier/**', serveFrom('segmenter', (file, bytes) => (file === 'card.json' ? classifierCard(true) : bytes)));
    await page.goto('/');
    await expect(alert).toContainText('its weights do not match its card.json');
    await page.unroute('**/models/classifier/**');
    await page.route('**/models/classifier/**', serveFrom('segmenter', (file, bytes) => (file === 'card.json' ? classifierCard(false) : bytes)));
    await page.reload();
    await expect(alert).toContainText('it gives [batch, 256, 256, 1] where a classifier gives [batch, 1]');
  });

  test('one damaged byte in a classifier shard is caught by the digest its card names', async ({ page }) => {
    await page.route('**/models/classifier/**', serveFrom('classifier', (file, bytes) => {
      if (file !== 'group1-shard2of3.bin') return bytes;
      const copy = Buffer.from(bytes);
      copy[1000] ^= 0xff;
      return copy;
    }));
    await page.goto('/');
    await page.getByTestId('drop-target').waitFor();
    const alert = page.getByRole('alert').filter({ hasText: 'The models could not start' });
    await expect(alert).toContainText('the classifier model could not be loaded');
    await expect(alert).toContainText('its weights do not match its card.json');
    await expect(alert).toContainText('reload the page');
  });

  test('a combined.json fitted for other weights is not used: the classifier alone gives the probability, and the page says why', async ({ page }) => {
    await page.route('**/models/combined.json', serveFrom('.', (_f, bytes) => {
      const card = JSON.parse(bytes.toString('utf8'));
      card.models.classifier = '0'.repeat(64);
      return Buffer.from(JSON.stringify(card));
    }));
    await page.goto('/');
    await waitForEngine(page);
    await expect(page.getByTestId('combined-note')).toContainText('fitted for another classifier than the one loaded');
    await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
    const { probability, classifierProbability } = await waitForResult(page, `${TUMOR}.tif`);
    expect(probability).toBe(classifierProbability);
  });
});

test.describe('a model download that fails once', () => {
  test.use({ serviceWorkers: 'block' });

  test('is loaded again on request, for a slice and for a patient, and the patient message counts what was not analyzed', async ({ page }) => {
    // The segmenter's shard fails on the first request of each page load, then the network is back.
    let failuresLeft = 1;
    await page.route('**/models/segmenter/*.bin*', (route) => (failuresLeft-- > 0 ? route.abort('failed') : route.continue()));
    await page.goto('/');
    const alert = page.getByRole('alert').filter({ hasText: 'The models could not start' });
    await expect(alert).toContainText('the segmenter model could not be loaded');
    await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
    await page.waitForFunction(() => (window as any).__lgg.state().current?.error);
    await page.getByTestId('retry-models').click();
    const { probability } = await waitForResult(page, `${TUMOR}.tif`);
    await expect(alert).toHaveCount(0);
    expect((await page.evaluate(() => (window as any).__lgg.state().current.analysis.segmentation)) !== null).toBe(true);

    failuresLeft = 1;
    await page.reload();
    await expect(alert).toBeVisible();
    await dropFiles(page, [fixture(`${TUMOR}.tif`), fixture(`${NO_TUMOR}.tif`)]); // one patient's two slices
    await page.waitForFunction(() => !(window as any).__lgg.patient().running && (window as any).__lgg.patient().slices.some((s: any) => s.error));
    await expect(page.getByTestId('messages')).toContainText('The models could not load (');
    await expect(page.getByTestId('messages')).toContainText('2 of 2 slices are not analyzed; "Retry" in the strip loads the models again and runs them.');
    await page.getByTestId('patient-resume').click();
    await page.waitForFunction(() => {
      const p = (window as any).__lgg.patient();
      return !p.running && p.slices.every((s: any) => s.analysis);
    }, undefined, { timeout: 120_000 });
    const again = await page.evaluate(() => (window as any).__lgg.patient().slices.map((s: any) => s.analysis.probability));
    expect(again).toHaveLength(2);
    expect(again).toContain(probability);
  });
});
