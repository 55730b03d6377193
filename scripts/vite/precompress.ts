/**
 * Model shards and wasm binaries travel gzip-compressed. Quantized weights are far from random bytes (gzip takes 30%
 * off the classifier's uint8 shards, 8% off the segmenters'), but `vite preview` compresses text types only. The
 * build writes a `.gz` beside each such file (what nginx's gzip_static and most static hosts look for) and `vite
 * preview` (npm start) sends it to browsers that accept gzip. The browser decompresses before the app or the service
 * worker sees a byte, so nothing else changes.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** What gets a `.gz`: binary types that vite preview's own compression (text, JavaScript, JSON, XML) leaves alone. */
const CONTENT_TYPES: Record<string, string> = { '.bin': 'application/octet-stream', '.wasm': 'application/wasm' };
/** A `.gz` that saves less than this is not worth a second file (and the browser's time to inflate it). */
const MIN_SAVING = 0.03;

const extensionOf = (path: string) => path.slice(path.lastIndexOf('.'));

/** Writes `<file>.gz` beside every .bin and .wasm under dir that gzip makes smaller by MIN_SAVING; returns what it wrote. */
export function precompressDir(dir: string): { file: string; bytes: number; gzipBytes: number }[] {
  const written: { file: string; bytes: number; gzipBytes: number }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !(extensionOf(entry.name) in CONTENT_TYPES)) continue;
    const file = join(entry.parentPath, entry.name);
    const raw = readFileSync(file);
    const gz = gzipSync(raw, { level: 9 });
    if (gz.length > raw.length * (1 - MIN_SAVING)) continue;
    writeFileSync(`${file}.gz`, gz);
    written.push({ file, bytes: raw.length, gzipBytes: gz.length });
  }
  return written;
}

/**
 * Serves `<file>.gz` for GET/HEAD of a .bin or .wasm under dist when the client accepts gzip and the `.gz` is not
 * older than the file (a shard copied in after the build is sent as it is, never a stale compressed copy).
 * Everything else goes on to the next middleware.
 */
export function gzipStatic(dist: string, headers: OutgoingHttpHeaders = {}, base = '/') {
  const root = resolve(dist);
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return next();
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    } catch {
      return next();
    }
    if (!path.startsWith(base)) return next();
    const type = CONTENT_TYPES[extensionOf(path)];
    const file = join(root, normalize(path.slice(base.length)));
    if (!type || !file.startsWith(root + sep)) return next();
    const gz = statSync(`${file}.gz`, { throwIfNoEntry: false });
    const plain = statSync(file, { throwIfNoEntry: false });
    if (!gz || !plain || gz.mtimeMs < plain.mtimeMs) return next();
    const etag = `W/"gz-${gz.size}-${Math.round(gz.mtimeMs)}"`;
    res.setHeader('Vary', 'Accept-Encoding');
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
    res.setHeader('Cache-Control', 'no-cache'); // as vite preview sends its other files: revalidate, then 304
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      return res.end();
    }
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', gz.size);
    if (req.method === 'HEAD') return res.end();
    createReadStream(`${file}.gz`).pipe(res);
  };
}

export function precompress(): Plugin {
  let outDir: string | null = null;
  return {
    name: 'precompress-binaries',
    configResolved(config) {
      if (config.command === 'build') outDir = resolve(config.root, config.build.outDir);
    },
    // After every other plugin has written its files (the PWA plugin's service worker included).
    closeBundle: {
      order: 'post',
      handler() {
        if (outDir && existsSync(outDir)) precompressDir(outDir);
      },
    },
    configurePreviewServer(server) {
      const { root, build, preview, base } = server.config;
      server.middlewares.use(gzipStatic(resolve(root, build.outDir), preview.headers, base));
    },
  };
}
