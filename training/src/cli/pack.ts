/**
 * npm run pack -- --data DIR --out DEST [--seed 42] [--parts 2]
 * Writes the training pack for a GPU machine without a registry (see training/gpu/README.md): the slices the
 * two models train and validate on (same split, balancing and tumor-only selection as `npm run train`; the test
 * patients never leave this machine), cut into xz-compressed parts that each fit one device call.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../../../src/core/constants';
import { Rng } from '../backend/seeded-random';
import { balanceRows } from '../data/dataset';
import { indexDataset, patientsOf } from '../data/index';
import { loadSlices, type SliceSet } from '../data/load';
import { encodeImageResidual, packBits, PACK_VERSION, preprocessProbe } from '../data/pack';
import { splitPatients } from '../data/split';
import { userPath } from './paths';

const { values: a } = parseArgs({
  options: { data: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string', default: '42' }, parts: { type: 'string', default: '2' } },
});
if (!a.data || !a.out) {
  console.error('pack: usage: npm run pack -- --data DIR --out DEST [--seed 42] [--parts 2]');
  process.exit(2);
}
const seed = Number(a.seed);
const nParts = Number(a.parts);
const dest = userPath(a.out);
const size = IMAGE_SIZE;
const px = size * size;

const records = indexDataset(userPath(a.data));
const split = splitPatients(patientsOf(records), seed);
const load = (names: string[]) => loadSlices(records.filter((r) => names.includes(r.patient)), size);
console.log(`pack: split (seed ${seed}) train ${split.train.length} / val ${split.val.length} / test ${split.test.length} patients; test stays here`);
const train = load(split.train);
const val = load(split.val);

// The rows each model uses, exactly as prepareData selects them.
const classifierTrain = new Set(balanceRows(train.labels, seed));
type Row = { set: SliceSet; row: number; split: 'train' | 'val' };
const rows: Row[] = [
  ...[...train.labels.keys()].filter((i) => classifierTrain.has(i) || train.labels[i] === 1).map((row) => ({ set: train, row, split: 'train' as const })),
  ...[...val.labels.keys()].map((row) => ({ set: val, row, split: 'val' as const })),
];

mkdirSync(dest, { recursive: true });
const perPart = Math.ceil(rows.length / nParts);
const slices: object[] = [];
const parts: object[] = [];
for (let p = 0; p < nParts; p++) {
  const chunk = rows.slice(p * perPart, (p + 1) * perPart);
  const images = new Uint8Array(chunk.length * px * IMAGE_CHANNELS);
  const masks = new Uint8Array(chunk.length * (px / 8));
  chunk.forEach(({ set, row, split: s }, i) => {
    images.set(encodeImageResidual(set.images.subarray(row * px * IMAGE_CHANNELS, (row + 1) * px * IMAGE_CHANNELS), size), i * px * IMAGE_CHANNELS);
    masks.set(packBits(set.masks.subarray(row * px, (row + 1) * px)), (i * px) / 8);
    const r = set.records[row];
    slices.push({ patient: r.patient, key: r.key, split: s, label: set.labels[row], classifierTrain: s === 'train' && classifierTrain.has(row), part: p, index: i });
  });
  const raw = Buffer.concat([images, masks]);
  const file = `part-${p}.bin.xz`;
  const tmp = join(dest, `${file}.tmp`);
  writeFileSync(join(dest, `part-${p}.bin`), raw);
  rmSync(tmp, { force: true });
  execFileSync('sh', ['-c', `xz -9 -T2 -c "${join(dest, `part-${p}.bin`)}" > "${tmp}"`], { stdio: 'inherit' });
  rmSync(join(dest, `part-${p}.bin`));
  renameSync(tmp, join(dest, file));
  const bytes = statSync(join(dest, file)).size;
  parts.push({ file, slices: chunk.length, rawBytes: raw.length, sha256: createHash('sha256').update(raw).digest('hex') });
  console.log(`pack: ${file}: ${chunk.length} slices, ${(bytes / 2 ** 20).toFixed(1)} MiB`);
}

// Preprocessing probes: the first slice of each split, 2,000 seeded positions.
const rng = new Rng(seed);
const positions = Array.from({ length: 2000 }, () => Math.floor(rng.next() * px * IMAGE_CHANNELS));
const probeOf = (k: number) => {
  const { set, row } = rows[k];
  return preprocessProbe(k, set.images.subarray(row * px * IMAGE_CHANNELS, (row + 1) * px * IMAGE_CHANNELS), size, positions);
};
const firstVal = rows.findIndex((r) => r.split === 'val');
const manifest = { version: PACK_VERSION, size, channels: IMAGE_CHANNELS, seed, split, parts, slices, probes: [probeOf(0), probeOf(firstVal)] };
writeFileSync(join(dest, 'pack.json.tmp'), JSON.stringify(manifest));
renameSync(join(dest, 'pack.json.tmp'), join(dest, 'pack.json'));
const count = (f: (s: { split: string; label: number; classifierTrain: boolean }) => boolean) => (slices as Parameters<typeof f>[0][]).filter(f).length;
console.log(
  `pack: ${slices.length} slices -> ${dest}: classifier trains on ${count((s) => s.classifierTrain)}, segmenter on ${count((s) => s.split === 'train' && s.label === 1)}; ` +
    `validation ${count((s) => s.split === 'val')} (${count((s) => s.split === 'val' && s.label === 1)} tumor)`,
);
