/**
 * npm run bench:wire [-- --build]: the bytes a first visit downloads for the models, as the server sends them.
 * Serves bench/dist/ (built if missing, or with --build) with `vite preview`, requests each model's model.json and
 * shards with the Accept-Encoding Chromium sends, counts the body bytes on the wire, checks that they decode to the
 * shipped file, and prints a table; writes bench/results/<date>-<machine>-wire.json.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { flag } from './args';
import { resultFile } from './result-file';
import { REPO } from './stock-server';
import { parseShardPath } from '../scripts/vite/versioned-shards';
import { MODEL_FOLDERS } from '../src/core/model-files';

export const BENCH_DIST = 'bench/dist';
/** What Chromium sends; the server picks one (ours: gzip for shards and wasm, vite's own compression for JSON). */
const ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

export interface WireBytes {
  files: number;
  /** Bytes of the files as stored (model.json + shards). */
  bytes: number;
  /** Bytes of the response bodies as sent. */
  wireBytes: number;
  encodings: string[];
}

function getRaw(url: string): Promise<{ status: number; encoding: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': ACCEPT_ENCODING } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: String(res.headers['content-encoding'] ?? 'identity'), body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

function decode(body: Buffer, encoding: string): Buffer {
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'br') return brotliDecompressSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  if (encoding === 'identity') return body;
  throw new Error(`unexpected Content-Encoding ${encoding}`);
}

/** Each model folder under `<dist>/models` that has a model.json, measured against the server at `url`. */
export async function modelWireBytes(url: string, dist = path.join(REPO, BENCH_DIST)): Promise<Record<string, WireBytes>> {
  const out: Record<string, WireBytes> = {};
  for (const name of Object.values(MODEL_FOLDERS)) {
    const dir = path.join(dist, 'models', name);
    if (!fs.existsSync(path.join(dir, 'model.json'))) continue;
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    const files = ['model.json', ...manifest.weightsManifest.flatMap((g) => g.paths)];
    const m: WireBytes = { files: files.length, bytes: 0, wireBytes: 0, encodings: [] };
    for (const f of files) {
      // A built model.json names its shards with a content version (`…bin?v=<hash>`): request that URL, read the file.
      const stored = fs.readFileSync(path.join(dir, parseShardPath(f).file));
      const res = await getRaw(`${url}/models/${name}/${f}`);
      if (res.status !== 200) throw new Error(`${name}/${f}: HTTP ${res.status}`);
      if (!decode(res.body, res.encoding).equals(stored)) throw new Error(`${name}/${f}: the bytes sent (${res.encoding}) do not decode to the shipped file`);
      m.bytes += stored.length;
      m.wireBytes += res.body.length;
      if (!m.encodings.includes(res.encoding)) m.encodings.push(res.encoding);
    }
    out[name] = m;
  }
  return out;
}

export function wireTable(w: Record<string, WireBytes>): string {
  const mb = (n: number) => (n / 1e6).toFixed(2);
  const rows = Object.entries(w).map(([k, v]) => `| ${k} | ${v.files} | ${mb(v.bytes)} | ${mb(v.wireBytes)} | ${v.encodings.join(', ')} |`);
  const bytes = Object.values(w).reduce((n, v) => n + v.bytes, 0);
  const wire = Object.values(w).reduce((n, v) => n + v.wireBytes, 0);
  return ['| model | files | stored MB | on the wire MB | encodings |', '| --- | --- | --- | --- | --- |', ...rows, `| all | ${Object.values(w).reduce((n, v) => n + v.files, 0)} | ${mb(bytes)} | **${mb(wire)}** | |`].join('\n');
}

async function main() {
  const { startPreview } = await import('./run');
  if (flag('build') || !fs.existsSync(path.join(REPO, BENCH_DIST, 'index.html'))) execSync(`npx vite build --outDir ${BENCH_DIST}`, { cwd: REPO, stdio: 'inherit' });
  const started = new Date();
  const preview = await startPreview(BENCH_DIST);
  try {
    const wire = await modelWireBytes(preview.url);
    const table = wireTable(wire);
    console.log(table);
    const machine = `${os.hostname()}-${os.cpus().length}cpu`;
    const file = resultFile(path.join(REPO, 'bench/results'), started, machine, '-wire');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ started: started.toISOString(), machine, acceptEncoding: ACCEPT_ENCODING, models: wire, table }, null, 2) + '\n');
    console.log(`wrote ${path.relative(REPO, file)}`);
  } finally {
    preview.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? '')) main().catch((e) => {
  console.error(e);
  process.exit(1);
});
