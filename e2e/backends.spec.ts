/**
 * Forcing a backend with `?backend=`: WebGPU (SwiftShader here, ~100x slower than wasm, so one slice only)
 * must give the same answer as wasm; so must WebGL and the CPU backend, which the worker imports only when chosen.
 */
import { expect, test } from '@playwright/test';
import { SMALL_TUMOR, dropFiles, fixture, openApp, waitForResult } from './helpers';

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
  await dropFiles(page, [fixture(`${SMALL_TUMOR}.tif`)]);
  await waitForResult(page, `${SMALL_TUMOR}.tif`, 420_000);
  const gpu = await sliceResult(page);

  const wasmPage = await browser.newPage();
  await openApp(wasmPage, '?backend=wasm');
  await expect(wasmPage.getByTestId('backend-name')).toHaveText('wasm');
  await dropFiles(wasmPage, [fixture(`${SMALL_TUMOR}.tif`)]);
  await waitForResult(wasmPage, `${SMALL_TUMOR}.tif`);
  const wasm = await sliceResult(wasmPage);

  expect(Math.abs(gpu.probability - wasm.probability)).toBeLessThan(1e-3);
  // The small tumor gets a mask on wasm (the large one's is empty, and two empty masks agree on anything).
  expect(wasm.mask!.reduce((n, v) => n + v, 0)).toBeGreaterThan(100);
  // Pixels right at the 0.5 cut may fall either way between backends; allow a handful.
  const differing = gpu.mask!.reduce((n, v, i) => n + (v !== wasm.mask![i] ? 1 : 0), 0);
  expect(differing).toBeLessThanOrEqual(20);
});

test('?backend=webgl and ?backend=cpu (imported only when chosen) run and agree with wasm on one slice', async ({ browser }) => {
  test.setTimeout(300_000);
  const run = async (backend: string) => {
    const page = await browser.newPage();
    await openApp(page, `?backend=${backend}&warmup=0`, 120_000);
    await expect(page.getByTestId('backend-name')).toHaveText(backend);
    await dropFiles(page, [fixture(`${SMALL_TUMOR}.tif`)]);
    await waitForResult(page, `${SMALL_TUMOR}.tif`, 180_000);
    const result = await sliceResult(page);
    await page.close();
    return result;
  };
  const wasm = await run('wasm');
  expect(wasm.mask).not.toBeNull(); // the small tumor gets a mask, so the masks are compared too
  for (const backend of ['webgl', 'cpu']) {
    const other = await run(backend);
    expect(Math.abs(other.probability - wasm.probability), backend).toBeLessThan(1e-3);
    const differing = other.mask!.reduce((n, v, i) => n + (v !== wasm.mask![i] ? 1 : 0), 0);
    expect(differing, backend).toBeLessThanOrEqual(20);
  }
});
