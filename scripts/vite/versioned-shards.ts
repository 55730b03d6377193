/**
 * Each model's weight shards are requested under a content version: the build rewrites every `dist/models/<model>/
 * model.json` so that a shard path reads `group1-shard1of3.bin?v=<first 16 hex of the shard's SHA-256>`. tfjs fetches
 * `<folder>/` + path, so the page asks for the versioned URL.
 *
 * Why:
 * - The service worker precaches the shards under the same versioned URLs with `revision: null`
 *   (shardManifestTransform, used in pwa-and-csp.ts). Workbox then fetches them with the default cache mode, so on a
 *   first visit the browser's HTTP cache (filled by the page's own download a moment earlier) answers, or the server
 *   answers 304, instead of a second full download (`revision` forces `cache: 'reload'`). The entries also carry the
 *   shard's SRI hash, so the precache refuses bytes that are not the shard this model.json was built with.
 * - A new build with changed weights changes the shard URLs with its model.json, so neither the service worker nor the
 *   HTTP cache can pair a new model.json with old shards.
 *
 * The files keep their names (the query is only a version; servers ignore it), so `.gz` siblings (precompress.ts),
 * `vite preview` and static hosts serve them as before. `vite dev` serves public/ untouched (no versions, no worker).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';

/** Hex digits of the SHA-256 kept in the version: 64 bits, far beyond any chance collision between two builds. */
const VERSION_HEX = 16;
/** A shard path as tfjs' model.json lists it, with or without a version already. */
const VERSIONED = /^([^?#]+)(?:\?v=([0-9a-f]+))?$/;

interface ModelJson {
  weightsManifest?: { paths: string[] }[];
  [key: string]: unknown;
}

export const shardVersion = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex').slice(0, VERSION_HEX);

/** Splits `group1-shard1of3.bin?v=0123…` into the file and its version (null: none). */
export function parseShardPath(path: string): { file: string; version: string | null } {
  const m = VERSIONED.exec(path);
  if (!m) throw new Error(`unexpected weight path in model.json: ${path}`);
  return { file: m[1], version: m[2] ?? null };
}

/** The model folders under `<dist>/models` that have a model.json (classifier, segmenter, segmenter-2, …). */
function modelFolders(dist: string): string[] {
  const models = join(dist, 'models');
  if (!existsSync(models)) return [];
  return readdirSync(models, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(models, e.name, 'model.json')))
    .map((e) => e.name)
    .sort();
}

/**
 * Rewrites each model.json under `<dist>/models` so that its shard paths carry `?v=<version of the shard's bytes>`
 * (an existing version is replaced: running twice gives the same file). Returns `models/<model>/<shard>` → version.
 * A shard that model.json lists but the folder lacks stops the build: that model could not load anyway.
 */
export function versionModelShards(dist: string): Map<string, string> {
  const versions = new Map<string, string>();
  for (const folder of modelFolders(dist)) {
    const dir = join(dist, 'models', folder);
    const jsonFile = join(dir, 'model.json');
    const text = readFileSync(jsonFile, 'utf8');
    const json = JSON.parse(text) as ModelJson;
    for (const group of json.weightsManifest ?? [])
      group.paths = group.paths.map((p) => {
        const { file } = parseShardPath(p);
        const shard = join(dir, file);
        if (!existsSync(shard)) throw new Error(`models/${folder}/model.json lists ${file}, which is not in models/${folder}/`);
        const version = shardVersion(readFileSync(shard));
        versions.set(`models/${folder}/${file}`, version);
        return `${file}?v=${version}`;
      });
    // Same layout as the export (one line when it was one line), so the file stays as small as it was.
    const indent = /^\{\s*\n(\s+)/.exec(text)?.[1];
    writeFileSync(jsonFile, JSON.stringify(json, null, indent) + (text.endsWith('\n') ? '\n' : ''));
  }
  return versions;
}

/** The versions the (rewritten) model.json files under `<dist>/models` give their shards: `models/<model>/<shard>` → version. */
export function readShardVersions(dist: string): Map<string, string> {
  const versions = new Map<string, string>();
  for (const folder of modelFolders(dist)) {
    const json = JSON.parse(readFileSync(join(dist, 'models', folder, 'model.json'), 'utf8')) as ModelJson;
    for (const group of json.weightsManifest ?? [])
      for (const p of group.paths) {
        const { file, version } = parseShardPath(p);
        if (version) versions.set(`models/${folder}/${file}`, version);
      }
  }
  return versions;
}

/** What Workbox's manifestTransforms receive and return (workbox-build's ManifestTransform, structurally). */
export interface PrecacheEntry {
  url: string;
  revision: string | null;
  integrity?: string;
  size: number;
}

/**
 * Workbox manifest transform: each shard a model.json under `dist` lists becomes `{ url: '<url>?v=<version>', revision:
 * null, integrity: 'sha256-…' }`. The version is read back from model.json (the URL the page requests); the SRI hash
 * is of the file beside it, and must agree with that version, or the build stops (the shard changed after the rewrite).
 * Everything else passes unchanged; a shard under models/ that no model.json lists keeps its revision, with a warning.
 */
export function shardManifestTransform(dist: () => string) {
  return (entries: PrecacheEntry[]): { manifest: PrecacheEntry[]; warnings: string[] } => {
    const root = dist();
    const versions = readShardVersions(root);
    const warnings: string[] = [];
    const manifest = entries.map((entry) => {
      if (!/^models\/.+\.bin$/.test(entry.url)) return entry;
      const version = versions.get(entry.url);
      if (!version) {
        warnings.push(`${entry.url} is precached but no model.json lists it`);
        return entry;
      }
      const digest = createHash('sha256').update(readFileSync(join(root, entry.url))).digest();
      if (!digest.toString('hex').startsWith(version)) throw new Error(`${entry.url} does not match the version its model.json gives it (${version}): was it changed after the build rewrote model.json?`);
      return { url: `${entry.url}?v=${version}`, revision: null, integrity: `sha256-${digest.toString('base64')}`, size: entry.size };
    });
    return { manifest, warnings };
  };
}

/**
 * The build step, and the transform for the service worker that reads its result. The rewrite runs in writeBundle,
 * once Vite has written the bundle and copied public/ (models included) into the output folder, and so before any
 * closeBundle hook: vite-plugin-pwa generates the service worker in closeBundle.
 */
export function versionedShards(): { plugin: Plugin; manifestTransform: ReturnType<typeof shardManifestTransform> } {
  let outDir: string | null = null;
  const plugin: Plugin = {
    name: 'versioned-model-shards',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    writeBundle: {
      sequential: true,
      handler() {
        if (outDir) versionModelShards(outDir);
      },
    },
  };
  const manifestTransform = shardManifestTransform(() => {
    if (!outDir) throw new Error('versioned-model-shards: the build folder is not known yet');
    return outDir;
  });
  return { plugin, manifestTransform };
}
