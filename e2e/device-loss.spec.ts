/**
 * WebGPU device loss (driver reset, GPU sleep): the worker moves to wasm without a page reload, reloads the
 * models, runs the slice on screen again and tells the user. WebGPU is SwiftShader here (~100x slower than
 * wasm), so one slice only and no warm-up.
 */
import { expect, test } from '@playwright/test';
import { NO_TUMOR, TUMOR, dropFiles, fixture, openApp, stats, waitForPatientRun, waitForResult } from './helpers';

test('a lost WebGPU device falls back to wasm in place, says so, and gives the same probability', async ({ page }) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openApp(page, '?backend=webgpu&warmup=0', 300_000);
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  const onGpu = await waitForResult(page, `${TUMOR}.tif`, 420_000);
  const runsBefore = (await stats(page)).classifierRuns;

  // The test hook destroys the worker's GPUDevice, which resolves its `lost` promise as a real loss would.
  await page.evaluate(() => (window as any).__lgg.loseDevice());
  await expect(page.getByTestId('messages')).toContainText(/The GPU was lost \(.+\); switched to WebAssembly/);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');

  // The slice on screen was analysed again, on wasm, in the same page.
  await page.waitForFunction((n) => (window as any).__lgg.stats().then((s: { classifierRuns: number }) => s.classifierRuns > n), runsBefore);
  const onWasm = await waitForResult(page, `${TUMOR}.tif`);
  expect((await stats(page)).backend).toBe('wasm');
  expect(Math.abs(onWasm.probability - onGpu.probability)).toBeLessThan(1e-3);
  expect(errors).toEqual([]);
});

test("a patient's slices in flight when the GPU is lost are analyzed on wasm: none fails, each as wasm gives it", async ({ page }) => {
  test.setTimeout(600_000);
  const files = [fixture(`${TUMOR}.tif`), fixture(`${NO_TUMOR}.tif`)]; // one patient's two slices
  const settled = () => waitForPatientRun(page, 2, 420_000);
  const results = () => page.evaluate(() => (window as any).__lgg.patient().slices.map((s: any) => ({ p: s.analysis?.probability ?? null, error: s.error })));

  await openApp(page, '?backend=wasm');
  await dropFiles(page, files);
  await settled();
  const onWasm = await results();

  await openApp(page, '?backend=webgpu&warmup=0', 300_000);
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await dropFiles(page, files);
  await page.waitForFunction(() => (window as any).__lgg.patient().running);
  // Lost while the first slice runs on the GPU: its readback fails before the loss is reported, and the next slice
  // was sent before the worker knew. Before, both could end with "Device was lost before mapping was resolved".
  await page.evaluate(() => (window as any).__lgg.loseDevice());
  await expect(page.getByTestId('messages')).toContainText(/The GPU was lost \(.+\); switched to WebAssembly/);
  await settled();
  const after = await results();
  expect(after.map((r: { error: string | null }) => r.error)).toEqual([null, null]);
  after.forEach((r: { p: number }, i: number) => expect(Math.abs(r.p - onWasm[i].p)).toBeLessThan(1e-3));
  await expect(page.getByTestId('messages')).not.toContainText('could not be analyzed');
});
