/**
 * Memory: 200 analyses of a slice (classifier, and segmenter when the probability is above the lowest preset)
 * leave tf.memory() in the inference worker exactly where it was after warm-up: no tensor and no byte leaks.
 */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { TUMOR, fixture, openApp, stats } from './helpers';

// MEMORY_RUNS only for quick local checks; CI runs the 200 the issue asks for.
const RUNS = Number(process.env.MEMORY_RUNS || 200);

test(`${RUNS} analyses leak no tensors and no backend bytes`, async ({ page }) => {
  test.setTimeout(1_200_000);
  await openApp(page); // models loaded and warmed up
  const afterWarmUp = await stats(page);

  const b64 = fs.readFileSync(fixture(`${TUMOR}.tif`)).toString('base64');
  // Drops run in the page: the same File over and over, each waiting for its result (no DevTools round trips).
  const started = Date.now();
  const done = await page.evaluate(
    async ({ b64, runs, file }) => {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const target = document.querySelector('[data-testid="drop-target"]')!;
      const lgg = (window as any).__lgg;
      for (let i = 0; i < runs; i++) {
        const before = lgg.state().current?.id;
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], file));
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
        for (;;) {
          await new Promise((r) => setTimeout(r, 5));
          const c = lgg.state().current;
          if (c && c.id !== before && !c.analyzing) {
            if (c.error) throw new Error(`run ${i}: ${c.error}`);
            break;
          }
        }
      }
      return runs;
    },
    { b64, runs: RUNS, file: `${TUMOR}.tif` },
  );
  expect(done).toBe(RUNS);
  const perRun = (Date.now() - started) / RUNS;

  const after = await stats(page);
  expect(after.classifierRuns - afterWarmUp.classifierRuns).toBe(RUNS);
  expect(after.numTensors).toBe(afterWarmUp.numTensors);
  expect(after.numBytes).toBe(afterWarmUp.numBytes);
  console.log(`memory after warm-up: ${afterWarmUp.numTensors} tensors, ${afterWarmUp.numBytes} bytes; after ${RUNS} analyses (${after.segmenterRuns - afterWarmUp.segmenterRuns} segmentations, ${perRun.toFixed(0)} ms each): ${after.numTensors} tensors, ${after.numBytes} bytes`);
});
