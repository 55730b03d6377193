/**
 * A real first visit, service worker allowed: every model shard crosses the wire once. The page's inference worker
 * downloads the shards; the service worker, registered once the models are loaded, precaches them under the same
 * content-versioned URLs without a revision, so the browser's HTTP cache (or a 304) gives it the page's copy.
 * (Before: Workbox re-fetched every shard with `cache: 'reload'`, 19 MB on the wire instead of 9.6 MB.)
 * Requests are counted on the server side, by a proxy in front of `vite preview`, which sees the page's and the
 * service worker's requests alike. Then the app works offline on what was precached.
 */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseShardPath } from '../scripts/vite/versioned-shards';
import { HAS_SEGMENTER2, REPO, TUMOR, dropFiles, fixture, waitForEngine, waitForResult } from './helpers';

const DIST = path.join(REPO, process.env.E2E_DIST || 'dist');
const FOLDERS = ['classifier', 'segmenter', ...(HAS_SEGMENTER2 ? ['segmenter-2'] : [])];

interface Served {
  path: string;
  search: string;
  status: number;
  bytes: number;
}

/** A proxy to the preview server that records each request that reaches it: path, status, body bytes sent. */
async function countingProxy(target: string): Promise<{ origin: string; served: Served[]; close: () => Promise<void> }> {
  const upstream = new URL(target);
  const served: Served[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      let bytes = 0;
      r.on('data', (c: Buffer) => {
        bytes += c.length;
        res.write(c);
      });
      r.on('end', () => {
        res.end();
        served.push({ path: url.pathname, search: url.search, status: r.statusCode ?? 0, bytes });
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The shards the built model.json files list, as the page requests them (URL path + query). */
function shardUrls(): { path: string; search: string; gzipBytes: number | null }[] {
  return FOLDERS.flatMap((f) => {
    const json = JSON.parse(fs.readFileSync(path.join(DIST, 'models', f, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    return json.weightsManifest.flatMap((g) =>
      g.paths.map((p) => {
        const { file, version } = parseShardPath(p);
        const gz = path.join(DIST, 'models', f, `${file}.gz`);
        return { path: `/models/${f}/${file}`, search: version ? `?v=${version}` : '', gzipBytes: fs.existsSync(gz) ? fs.statSync(gz).size : null };
      }),
    );
  });
}

test('first visit with the service worker: each model shard is downloaded once, then the app works offline', async ({ page, context, baseURL }) => {
  const proxy = await countingProxy(baseURL!);
  try {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${proxy.origin}/`);
    await waitForEngine(page);
    // Registered after the models are loaded; its install precaches everything, the shards from the HTTP cache.
    await expect(page.getByTestId('update-prompt')).toContainText('Ready to work offline', { timeout: 120_000 });
    const precached = await page.evaluate(async () => {
      const keys: string[] = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) keys.push(new URL(r.url).pathname + new URL(r.url).search);
      return keys;
    });

    const shards = shardUrls();
    expect(shards.length).toBeGreaterThanOrEqual(FOLDERS.length);
    for (const s of shards) {
      const full = proxy.served.filter((r) => r.path === s.path && r.status === 200);
      expect(full.map((r) => `${r.status} ${r.search} ${r.bytes} bytes`), `${s.path}: downloads from the server`).toHaveLength(1);
      // The precache holds the shard under the very URL the page's model.json asks for.
      expect(precached, s.path).toContain(s.path + s.search);
      if (s.gzipBytes !== null) expect(full[0].bytes, s.path).toBe(s.gzipBytes);
      // Any other request for it (the service worker's revalidation) is a 304 with no body.
      expect(proxy.served.filter((r) => r.path === s.path && r.status !== 200 && r.status !== 304), s.path).toEqual([]);
    }
    const shardBytes = proxy.served.filter((r) => r.path.startsWith('/models/') && r.path.endsWith('.bin')).reduce((n, r) => n + r.bytes, 0);
    expect(shardBytes).toBe(shards.reduce((n, s) => n + (s.gzipBytes ?? fs.statSync(path.join(DIST, s.path)).size), 0));
    test.info().annotations.push({ type: 'model shard bytes on the wire', description: String(shardBytes) });

    // Offline: the reload is served by the service worker, the models come from its precache.
    await context.setOffline(true);
    try {
      await page.reload();
      await waitForEngine(page);
      await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
      await waitForResult(page, `${TUMOR}.tif`);
    } finally {
      await context.setOffline(false);
    }
    expect(errors).toEqual([]);
  } finally {
    await proxy.close();
  }
});
