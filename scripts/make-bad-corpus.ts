/**
 * Writes the bad-input corpus and its manifest (expected outcome of every file).
 *   npx tsx scripts/make-bad-corpus.ts [out-dir]     (default .data/bad-corpus/, gitignored)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { corpusCases } from './bad-corpus';

export interface ManifestEntry {
  file: string;
  what: string;
  role: 'image' | 'mask';
  pairedWith?: string;
  bytes: number;
  expect: ReturnType<typeof corpusCases>[number]['expect'];
}

export function writeCorpus(dir: string): ManifestEntry[] {
  mkdirSync(dir, { recursive: true });
  const manifest = corpusCases().map(({ bytes, ...c }) => {
    const data = bytes();
    writeFileSync(join(dir, c.file), data);
    return { ...c, bytes: data.length };
  });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]).endsWith('make-bad-corpus.ts')) {
  const dir = resolve(process.argv[2] ?? '.data/bad-corpus');
  const manifest = writeCorpus(dir);
  console.log(`${manifest.length} files written to ${dir} (manifest.json lists the expected outcome of each)`);
}
