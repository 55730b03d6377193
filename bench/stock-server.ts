/** Static serving for the bench and e2e; the stock-tfjs baseline page: bench/stock/, tfjs' npm UMD bundles and wasm, and public/models/. */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TF = path.join(REPO, 'node_modules/@tensorflow');
const VENDOR: Record<string, string> = {
  'tf.min.js': path.join(TF, 'tfjs/dist/tf.min.js'),
  'tf-backend-wasm.min.js': path.join(TF, 'tfjs-backend-wasm/dist/tf-backend-wasm.min.js'),
  'tf-backend-webgpu.min.js': path.join(TF, 'tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js'),
  'tfjs-backend-wasm.wasm': path.join(TF, 'tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'),
  'tfjs-backend-wasm-simd.wasm': path.join(TF, 'tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'),
  'tfjs-backend-wasm-threaded-simd.wasm': path.join(TF, 'tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm'),
};
const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream', '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

/** Writes a served file's body (its headers are sent); the default streams it whole, a test may send it slowly. */
export type SendBody = (file: string, res: http.ServerResponse) => void | Promise<void>;
const streamWhole: SendBody = (file, res) => void fs.createReadStream(file).pipe(res);

const resolveIn = (modelsRoot: string) => (urlPath: string): string | null => {
  const p = decodeURIComponent(urlPath.split('?')[0]);
  if (p.startsWith('/vendor/')) return VENDOR[p.slice('/vendor/'.length)] ?? null;
  const [root, rest] = p.startsWith('/models/') ? [modelsRoot, p.slice(8)] : p.startsWith('/stock/') ? [path.join(REPO, 'bench/stock'), p.slice(7) || 'index.html'] : [null, ''];
  if (!root) return null;
  const file = path.resolve(root, rest);
  return file.startsWith(root + path.sep) ? file : null; // no ../ escapes
};

/** Serves the files `resolvePath` maps URL paths to (null: 404), every response with `cacheControl`, bodies by `send`. */
export async function startStaticServer(resolvePath: (urlPath: string) => string | null, cacheControl: string, send: SendBody = streamWhole): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const file = resolvePath(req.url || '/');
    const stat = file && fs.existsSync(file) ? fs.statSync(file) : null;
    if (!file || !stat?.isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-length': stat.size, 'cache-control': cacheControl });
    void send(file, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  // Closing also drops open connections: server.close() alone waits for them, and a response the browser never reads
  // (the no-store deadlock e2e/no-store.spec.ts shows) or a kept-alive socket would hold it open until the test times out.
  const close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return { origin: `http://127.0.0.1:${port}`, close };
}

/** The app's production build in `dist` (with /models/ from `modelsRoot` when given), no isolation headers. */
export function startDistServer(dist: string, cacheControl: string, modelsRoot?: string, send?: SendBody): Promise<{ origin: string; close: () => Promise<void> }> {
  return startStaticServer((urlPath) => {
    const rel = decodeURIComponent(urlPath.split('?')[0]);
    const [root, sub] = modelsRoot && rel.startsWith('/models/') ? [modelsRoot, rel.slice('/models'.length)] : [dist, rel === '/' ? '/index.html' : rel];
    const file = path.resolve(root, `.${sub}`);
    return file.startsWith(root + path.sep) ? file : null; // no ../ escapes
  }, cacheControl, send);
}

/**
 * `cacheControl`: 'no-cache' by default. With 'no-store' stock tfjs cannot load a model of more than 6 shards in
 * Chromium at all (see src/inference/fetch-whole.ts); e2e/no-store.spec.ts uses that to show the bug.
 * `modelsRoot`: what /models/ serves (public/models by default).
 */
export async function startStockServer(cacheControl = 'no-cache', modelsRoot = path.join(REPO, 'public/models')): Promise<{ url: string; close: () => Promise<void> }> {
  const { origin, close } = await startStaticServer(resolveIn(modelsRoot), cacheControl);
  return { url: `${origin}/stock/`, close };
}
