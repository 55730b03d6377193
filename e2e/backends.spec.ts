/**
 * Forcing a backend with `?backend=`: WebGPU (SwiftShader here, ~100x slower than wasm, so one slice only)
 * must give the same answer as wasm.
 */
import { expect, test } from '@playwright/test';
import { TUMOR, dropFiles, fixture, openApp, waitForResult } from './helpers';

const sliceResult = (page: import('@playwright/test').Page) =>
  page.evaluate(() => {
    const a = (window as any).__lgg.state().current.analysis;
    return { probability: a.probability as number, mask: a.segmentation ? Array.from(a.segmentation.data as Uint8Array) : null };
  });

test('?backend=webgpu runs on WebGPU and agrees with wasm on one slice', async ({ page, browser }) => {
  test.setTimeout(600_000);
  // One slice only, without the warm-up run: both models on SwiftShader take minutes per run.
  await openApp(page, '?backend=webgpu&warmup=0', 300_000);
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await expect(page.getByTestId('backend-info')).toContainText('requested');
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  await waitForResult(page, `${TUMOR}.tif`, 420_000);
  const gpu = await sliceResult(page);

  const wasmPage = await browser.newPage();
  await openApp(wasmPage, '?backend=wasm');
  await expect(wasmPage.getByTestId('backend-name')).toHaveText('wasm');
  await dropFiles(wasmPage, [fixture(`${TUMOR}.tif`)]);
  await waitForResult(wasmPage, `${TUMOR}.tif`);
  const wasm = await sliceResult(wasmPage);

  expect(Math.abs(gpu.probability - wasm.probability)).toBeLessThan(1e-3);
  expect(gpu.mask === null).toBe(wasm.mask === null);
  if (gpu.mask && wasm.mask) {
    // Pixels right at the 0.5 cut may fall either way between backends; allow a handful.
    const differing = gpu.mask.reduce((n, v, i) => n + (v !== wasm.mask![i] ? 1 : 0), 0);
    expect(differing).toBeLessThanOrEqual(20);
  }
});
