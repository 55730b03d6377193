import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipStatic, precompressDir } from './precompress';

/** A raw HTTP GET (no automatic decompression, path sent as written): status, headers and the bytes on the wire. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('gzip-compressed model shards and wasm (build step + preview middleware)', () => {
  const dist = mkdtempSync(join(tmpdir(), 'lgg-precompress-'));
  // Bytes like a quantized kernel (a narrow, peaked distribution compresses) and noise that does not.
  const shard = Buffer.from(Array.from({ length: 200_000 }, (_, i) => 128 + Math.round(20 * Math.sin(i * 0.7) * Math.cos(i * 0.013))));
  const noise = randomBytes(50_000);
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    mkdirSync(join(dist, 'models/segmenter'), { recursive: true });
    writeFileSync(join(dist, 'models/segmenter/group1-shard1of1.bin'), shard);
    writeFileSync(join(dist, 'models/noise.bin'), noise);
    writeFileSync(join(dist, 'models/segmenter/model.json'), '{"format":"layers-model"}');
    writeFileSync(join(dist, 'secret.txt'), 'not a model');
    server = createServer((req, res) =>
      gzipStatic(dist, { 'Cross-Origin-Embedder-Policy': 'require-corp' })(req, res, () => {
        res.statusCode = 404; // what the next middleware (vite's static files) would have handled
        res.end('next');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('writes a .gz only where gzip saves something, and it inflates to the same bytes', () => {
    const written = precompressDir(dist);
    expect(written.map((w) => w.file)).toEqual([join(dist, 'models/segmenter/group1-shard1of1.bin')]);
    expect(written[0].gzipBytes).toBeLessThan(written[0].bytes * 0.97);
    expect(gunzipSync(readFileSync(`${written[0].file}.gz`)).equals(shard)).toBe(true);
  });

  it('sends the .gz, with the page headers, to a client that accepts gzip; the plain file to one that does not', async () => {
    const gz = await get(port, '/models/segmenter/group1-shard1of1.bin', { 'accept-encoding': 'gzip, deflate, br' });
    expect(gz.status).toBe(200);
    expect(gz.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'application/octet-stream', vary: 'Accept-Encoding', 'cross-origin-embedder-policy': 'require-corp' });
    expect(gz.body.length).toBeLessThan(shard.length * 0.97);
    expect(gunzipSync(gz.body).equals(shard)).toBe(true);
    expect((await get(port, '/models/segmenter/group1-shard1of1.bin', { 'if-none-match': String(gz.headers.etag), 'accept-encoding': 'gzip' })).status).toBe(304);
    expect((await get(port, '/models/segmenter/group1-shard1of1.bin')).body.toString()).toBe('next');
    expect((await get(port, '/models/noise.bin', { 'accept-encoding': 'gzip' })).body.toString()).toBe('next');
  });

  it('never serves a .gz older than its file, nor anything outside the build folder', async () => {
    const file = join(dist, 'models/segmenter/group1-shard1of1.bin');
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later); // a shard replaced after the build
    expect((await get(port, '/models/segmenter/group1-shard1of1.bin', { 'accept-encoding': 'gzip' })).body.toString()).toBe('next');
    writeFileSync(join(dist, '..', 'outside.bin'), shard);
    writeFileSync(join(dist, '..', 'outside.bin.gz'), readFileSync(`${file}.gz`));
    expect((await get(port, '/../outside.bin', { 'accept-encoding': 'gzip' })).body.toString()).toBe('next');
    expect((await get(port, '/%2e%2e/outside.bin', { 'accept-encoding': 'gzip' })).body.toString()).toBe('next');
    expect((await get(port, '/..%2foutside.bin', { 'accept-encoding': 'gzip' })).body.toString()).toBe('next'); // decodes to ../
  });
});
