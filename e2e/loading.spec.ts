/** Model loading is visible: per-model download progress while the shards arrive, then the backend and why. */
import { expect, test } from '@playwright/test';
import { screenshot, waitForEngine } from './helpers';

test('shows download progress for both models while they load', async ({ page }) => {
  // Hold back the weight shards a little so the progress is observable.
  await page.route('**/models/**/*.bin', async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  await page.goto('/');
  await expect(page.getByTestId('loading')).toBeVisible();
  await expect(page.getByTestId('engine-chip')).toHaveText('loading models…');
  await page.waitForFunction(() => {
    const p = (window as any).__lgg.state().engine.progress;
    return p.classifier > 0 && p.classifier < 1;
  });
  await screenshot(page, '00-loading');
  await waitForEngine(page);
  await expect(page.getByTestId('loading')).toHaveCount(0);
  await expect(page.getByTestId('engine-chip')).toHaveText('wasm');
  await expect(page.getByTestId('backend-info')).toContainText(/Loaded in .* warmed up in/);
});
