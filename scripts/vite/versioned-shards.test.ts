import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipStatic, precompressDir } from './precompress';
import { readShardVersions, shardManifestTransform, shardVersion, versionModelShards, type PrecacheEntry } from './versioned-shards';

/** Bytes that gzip shrinks (as quantized weights do), different for each seed. */
const weights = (seed: number, n = 100_000) => Buffer.from(Array.from({ length: n }, (_, i) => 128 + Math.round(20 * Math.sin(i * 0.7 + seed) * Math.cos(i * 0.013))));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();

/** A built output folder: two models (one in two shards), their cards, and an app file. */
function dist(shards = { a1: weights(1), a2: weights(2), b1: weights(3) }) {
  const root = mkdtempSync(join(tmpdir(), 'lgg-versioned-'));
  mkdirSync(join(root, 'models/classifier'), { recursive: true });
  mkdirSync(join(root, 'models/segmenter'), { recursive: true });
  const manifest = (paths: string[]) => JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: [{ paths, weights: [] }] });
  writeFileSync(join(root, 'models/classifier/model.json'), manifest(['group1-shard1of2.bin', 'group1-shard2of2.bin']));
  writeFileSync(join(root, 'models/classifier/group1-shard1of2.bin'), shards.a1);
  writeFileSync(join(root, 'models/classifier/group1-shard2of2.bin'), shards.a2);
  writeFileSync(join(root, 'models/segmenter/model.json'), manifest(['group1-shard1of1.bin']));
  writeFileSync(join(root, 'models/segmenter/group1-shard1of1.bin'), shards.b1);
  writeFileSync(join(root, 'models/classifier/card.json'), '{}');
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  return { root, shards };
}
const paths = (root: string, model: string): string[] => JSON.parse(readFileSync(join(root, 'models', model, 'model.json'), 'utf8')).weightsManifest[0].paths;

/** The precache list Workbox would hand to the transform for `root`. */
const entries = (): PrecacheEntry[] => [
  { url: 'index.html', revision: 'aaa', size: 15 },
  { url: 'models/classifier/model.json', revision: 'bbb', size: 100 },
  { url: 'models/classifier/card.json', revision: 'ccc', size: 2 },
  { url: 'models/classifier/group1-shard1of2.bin', revision: 'ddd', size: 100_000 },
  { url: 'models/classifier/group1-shard2of2.bin', revision: 'eee', size: 100_000 },
  { url: 'models/segmenter/group1-shard1of1.bin', revision: 'fff', size: 100_000 },
];

describe('content-versioned model shard URLs (build step + precache list)', () => {
  it('rewrites each model.json so every shard path carries the first 16 hex of its SHA-256, and nothing else changes', () => {
    const { root, shards } = dist();
    const before = JSON.parse(readFileSync(join(root, 'models/classifier/model.json'), 'utf8'));
    const versions = versionModelShards(root);
    const v = (b: Buffer) => sha256(b).toString('hex').slice(0, 16);
    expect(paths(root, 'classifier')).toEqual([`group1-shard1of2.bin?v=${v(shards.a1)}`, `group1-shard2of2.bin?v=${v(shards.a2)}`]);
    expect(paths(root, 'segmenter')).toEqual([`group1-shard1of1.bin?v=${v(shards.b1)}`]);
    expect(Object.fromEntries(versions)).toEqual({
      'models/classifier/group1-shard1of2.bin': v(shards.a1),
      'models/classifier/group1-shard2of2.bin': v(shards.a2),
      'models/segmenter/group1-shard1of1.bin': v(shards.b1),
    });
    expect(readShardVersions(root)).toEqual(versions);
    const after = JSON.parse(readFileSync(join(root, 'models/classifier/model.json'), 'utf8'));
    expect({ ...after, weightsManifest: null }).toEqual({ ...before, weightsManifest: null });
    expect(readFileSync(join(root, 'models/classifier/model.json'), 'utf8')).not.toContain('\n'); // one line, as exported
    // A second run (or a build folder built twice) gives the same files.
    const once = readFileSync(join(root, 'models/classifier/model.json'), 'utf8');
    versionModelShards(root);
    expect(readFileSync(join(root, 'models/classifier/model.json'), 'utf8')).toBe(once);
  });

  it('changed weights get a new URL; unchanged ones keep theirs (a new model.json never points at an old shard URL)', () => {
    const old = dist();
    const next = dist({ ...old.shards, a2: weights(9) });
    versionModelShards(old.root);
    versionModelShards(next.root);
    const [o, n] = [paths(old.root, 'classifier'), paths(next.root, 'classifier')];
    expect(n[0]).toBe(o[0]);
    expect(n[1]).not.toBe(o[1]);
    expect(n[1].split('?')[0]).toBe(o[1].split('?')[0]); // same file name: the .gz and the host's files are as before
  });

  it('a shard that model.json lists but the folder lacks stops the build', () => {
    const { root } = dist();
    writeFileSync(join(root, 'models/segmenter/model.json'), JSON.stringify({ weightsManifest: [{ paths: ['missing.bin'], weights: [] }] }));
    expect(() => versionModelShards(root)).toThrow(/segmenter\/model.json lists missing.bin/);
  });

  it('the precache lists each shard under the URL model.json gives it, with no revision (default cache mode) and its SRI hash', () => {
    const { root, shards } = dist();
    versionModelShards(root);
    const versions = readShardVersions(root);
    const { manifest, warnings } = shardManifestTransform(() => root)(entries());
    expect(warnings).toEqual([]);
    const byUrl = Object.fromEntries(manifest.map((e) => [e.url, e]));
    // Unchanged: the app, model.json and card.json keep their revisions (Workbox re-fetches them when they change).
    expect(manifest.slice(0, 3)).toEqual(entries().slice(0, 3));
    for (const [file, bytes] of [['models/classifier/group1-shard1of2.bin', shards.a1], ['models/classifier/group1-shard2of2.bin', shards.a2], ['models/segmenter/group1-shard1of1.bin', shards.b1]] as const) {
      const url = `${file}?v=${versions.get(file)}`;
      // Exactly what tfjs requests: the model folder + the path in model.json.
      expect(paths(root, file.split('/')[1]).map((p) => `models/${file.split('/')[1]}/${p}`)).toContain(url);
      expect(byUrl[url]).toEqual({ url, revision: null, integrity: `sha256-${sha256(bytes).toString('base64')}`, size: 100_000 });
    }
    expect(manifest.some((e) => e.url.endsWith('.bin') && e.revision !== null)).toBe(false);
  });

  it('the transform refuses a shard changed after model.json was rewritten, and leaves an unlisted shard as it was', () => {
    const { root } = dist();
    versionModelShards(root);
    writeFileSync(join(root, 'models/classifier/group1-shard2of2.bin'), weights(7));
    expect(() => shardManifestTransform(() => root)(entries())).toThrow(/group1-shard2of2.bin does not match the version its model.json gives it/);
    const fresh = dist();
    versionModelShards(fresh.root);
    const stray: PrecacheEntry = { url: 'models/old/group1-shard1of1.bin', revision: 'ggg', size: 1 };
    const { manifest, warnings } = shardManifestTransform(() => fresh.root)([...entries(), stray]);
    expect(manifest.at(-1)).toEqual(stray);
    expect(warnings).toEqual(['models/old/group1-shard1of1.bin is precached but no model.json lists it']);
  });

  it('vite preview sends the .gz for the versioned URL (the query is not part of the file name)', async () => {
    const { root, shards } = dist();
    versionModelShards(root);
    precompressDir(root);
    const server = createServer((req, res) => gzipStatic(root)(req, res, () => ((res.statusCode = 404), res.end('next'))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `/models/classifier/${paths(root, 'classifier')[0]}`;
      expect(url).toMatch(/\?v=[0-9a-f]{16}$/);
      const body = await new Promise<{ encoding: unknown; body: Buffer }>((resolve, reject) =>
        request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: url, headers: { 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end(),
      );
      expect(body.encoding).toBe('gzip');
      expect(body.body.length).toBe(readFileSync(join(root, 'models/classifier/group1-shard1of2.bin.gz')).length);
      expect(gunzipSync(body.body).equals(shards.a1)).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('shardVersion is the first 16 hex digits of the SHA-256', () => {
    expect(shardVersion(Buffer.from('abc'))).toBe('ba7816bf8f01cfea');
  });
});
