/**
 * WebGPU device loss (driver reset, GPU sleep): the worker moves to wasm without a page reload, reloads the
 * models, runs the slice on screen again and tells the user. WebGPU is SwiftShader here (~100x slower than
 * wasm), so one slice only and no warm-up.
 */
import { expect, test } from '@playwright/test';
import { TUMOR, dropFiles, fixture, openApp, stats, waitForResult } from './helpers';

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
